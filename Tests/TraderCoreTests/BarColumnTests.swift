import Testing
import TraderCore

/// Memory that a test owns, handed to columns the way the bar store hands out its mapping.
private final class TestMemory: @unchecked Sendable {
    let buffer: UnsafeMutableBufferPointer<Double>

    init(_ values: [Double]) {
        buffer = .allocate(capacity: values.count)
        _ = buffer.initialize(from: values)
    }

    deinit { buffer.deallocate() }
}

@Suite("Bar columns")
struct BarColumnTests {
    @Test func anArrayBackedColumnSharesTheArrayStorage() {
        let values: [Double] = (0..<1_000).map { Double($0) * 0.5 }
        let column = BarColumn(values)
        let arrayAddress = values.withUnsafeBufferPointer { $0.baseAddress }
        #expect(column.withUnsafeBufferPointer { $0.baseAddress } == arrayAddress)
        #expect(column.count == 1_000 && column[999] == 499.5 && Array(column) == values)
        // A series built from arrays shares them too, and so do its slices.
        let series = BarSeries(unchecked: "S", timeframe: .minute1, timestamps: (0..<1_000).map { Int64($0) * 60_000_000_000 },
                               open: values, high: values, low: values, close: values, volume: values)
        #expect(series.close.withUnsafeBufferPointer { $0.baseAddress } == arrayAddress)
        let slice = series.slice(100..<200)
        #expect(slice.close.withUnsafeBufferPointer { $0.baseAddress } == arrayAddress.map { $0 + 100 })
        #expect(slice.count == 100 && slice.close[0] == 50 && slice[99].close == 99.5 && slice.timestamps[0] == 6_000_000_000_000)
    }

    @Test func aColumnKeepsItsOwnerAliveAsLongAsAnySliceOfIt() {
        weak var memory: TestMemory?
        var slice: BarColumn<Double>?
        do {
            let owner = TestMemory([1, 2, 3, 4, 5])
            memory = owner
            let column = BarColumn(unsafeBuffer: UnsafeBufferPointer(owner.buffer), owner: owner)
            #expect(column.isOwned(by: owner))
            slice = column.extracting(1..<4)
        }
        #expect(memory != nil)   // only the slice refers to it now
        #expect(slice.map(Array.init) == [2, 3, 4])
        slice = nil
        #expect(memory == nil)
    }

    @Test func equalityIsElementWiseWhateverHoldsTheElements() {
        let owner = TestMemory([1, 2, 3])
        let borrowed = BarColumn(unsafeBuffer: UnsafeBufferPointer(owner.buffer), owner: owner)
        #expect(borrowed == BarColumn([1, 2, 3]))
        #expect(borrowed == [1, 2, 3])
        #expect(borrowed != [1, 2, 4] && borrowed != [1, 2])
        #expect(BarColumn<Double>() == [] && BarColumn([1.0]).extracting(0..<0) == [])
        #expect(BarColumn([Double.nan]) != BarColumn([Double.nan]))   // like arrays
        #expect(borrowed.array == [1, 2, 3] && borrowed.description == "[1.0, 2.0, 3.0]")
    }

    @Test func copiedSeriesOwnTheirColumns() throws {
        let owner = TestMemory([10, 11, 12])
        let column = BarColumn(unsafeBuffer: UnsafeBufferPointer(owner.buffer), owner: owner)
        let series = BarSeries(unchecked: "B", timeframe: .day1, columns: [1, 2, 3], open: column, high: column, low: column,
                               close: column, volume: column)
        let copy = series.copied()
        #expect(!copy.close.isOwned(by: owner) && series.close.isOwned(by: owner))
        #expect(copy.close == series.close && copy.timestamps == series.timestamps && copy[2] == series[2])
    }
}
