import Testing
import TraderCore

@Suite struct OrderLifecycleTests {
    @Test func aLimitOrderFillsInParts() throws {
        var order = OrderLifecycle(quantity: 10)
        #expect(try order.apply(.submitted))
        #expect(try order.apply(.accepted(brokerOrderID: "b-1")))
        #expect(try order.apply(.fill(executionID: "e-1", quantity: 4, price: 100, commission: 0.4)))
        #expect(order.status == .partiallyFilled)
        #expect(try order.apply(.fill(executionID: "e-2", quantity: 6, price: 105, commission: 0.6)))
        #expect(order.status == .filled)
        #expect(order.filledQuantity == 10)
        #expect(abs(order.averageFillPrice! - 103) < 1e-12)
        #expect(abs(order.commission - 1) < 1e-12)
        #expect(order.remaining == 0)
    }

    @Test func duplicateAndLateReportsChangeNothing() throws {
        var order = OrderLifecycle(quantity: 5)
        try order.apply(.submitted)
        // The fill arrives before the acknowledgement, then both arrive again.
        #expect(try order.apply(.fill(executionID: "e-1", quantity: 5, price: 10, commission: 0)))
        #expect(try order.apply(.accepted(brokerOrderID: "b-9")))        // only the id is new
        #expect(try !order.apply(.accepted(brokerOrderID: "b-9")))
        #expect(try !order.apply(.fill(executionID: "e-1", quantity: 5, price: 10, commission: 0)))
        #expect(try !order.apply(.submitted))
        #expect(try !order.apply(.triggered))
        #expect(order.status == .filled)
        #expect(order.filledQuantity == 5)
        #expect(order.brokerOrderID == "b-9")
    }

    @Test func illegalTransitionsAreRefused() throws {
        var filled = OrderLifecycle(quantity: 1)
        try filled.apply(.submitted)
        try filled.apply(.fill(executionID: "x", quantity: 1, price: 1, commission: 0))
        #expect(throws: OrderTransitionError.illegal(from: .filled, to: .cancelled)) { try filled.apply(.cancelled(reason: "user")) }
        #expect(throws: OrderTransitionError.overfill(ordered: 1, filled: 1.5)) {
            try filled.apply(.fill(executionID: "y", quantity: 0.5, price: 1, commission: 0))
        }
        var cancelled = OrderLifecycle(quantity: 2)
        try cancelled.apply(.submitted)
        try cancelled.apply(.cancelled(reason: "user"))
        #expect(throws: OrderTransitionError.illegal(from: .cancelled, to: .partiallyFilled)) {
            try cancelled.apply(.fill(executionID: "late", quantity: 1, price: 1, commission: 0))
        }

        var partial = OrderLifecycle(quantity: 2)
        try partial.apply(.submitted)
        try partial.apply(.fill(executionID: "a", quantity: 1, price: 1, commission: 0))
        #expect(throws: OrderTransitionError.illegal(from: .partiallyFilled, to: .rejected)) { try partial.apply(.rejected(reason: "late")) }
        #expect(throws: OrderTransitionError.overfill(ordered: 2, filled: 3)) {
            try partial.apply(.fill(executionID: "b", quantity: 2, price: 1, commission: 0))
        }
        #expect(partial.filledQuantity == 1, "a refused report changes nothing")

        var unsent = OrderLifecycle(quantity: 1)
        #expect(throws: OrderTransitionError.illegal(from: .new, to: .accepted)) { try unsent.apply(.accepted(brokerOrderID: "z")) }
        #expect(throws: OrderTransitionError.self) { try unsent.apply(.fill(executionID: "q", quantity: 1, price: 0, commission: 0)) }
    }

    @Test func terminalStatesLeadNowhere() {
        for from in OrderStatus.allCases where from.isTerminal {
            for to in OrderStatus.allCases { #expect(!from.canMove(to: to), "\(from) → \(to)") }
        }
        // Nothing goes back to new, and only a sent order can be acknowledged.
        for from in OrderStatus.allCases { #expect(!from.canMove(to: .new)) }
        #expect(OrderStatus.submitted.canMove(to: .accepted))
        #expect(!OrderStatus.accepted.canMove(to: .submitted))
        #expect(OrderStatus.partiallyFilled.canMove(to: .partiallyFilled))
    }

    @Test func cancelAndRejectKeepTheirReason() throws {
        var order = OrderLifecycle(quantity: 3)
        try order.apply(.submitted)
        try order.apply(.rejected(reason: "insufficient buying power"))
        #expect(order.status == .rejected)
        #expect(order.reason == "insufficient buying power")
        #expect(try !order.apply(.rejected(reason: "again")))
        #expect(order.reason == "insufficient buying power")
    }
}
