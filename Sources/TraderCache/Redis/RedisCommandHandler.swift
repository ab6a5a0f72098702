import NIOCore

/// Commands on their way to the handler: already encoded (by the caller, off the event loop) into
/// one buffer written at once, how many replies they expect, and the one promise the replies
/// complete together. One promise per batch, not per command: the handler collects the batch's
/// replies into one array, so a batch of 16 costs one completion and one task resumption.
struct RedisBatch {
    /// Where a batch's replies go.
    enum Replies {
        /// Each reply as a `RESPValue`, in order (error replies included, not thrown).
        case values(EventLoopPromise<[RESPValue]>)
        /// Each reply as a slice of the receive buffer (no copy), nil for a missing key; for GETs.
        /// An error reply fails the batch with `RESPError.server` once all its replies are in.
        case bulks(EventLoopPromise<[ByteBuffer?]>)

        func fail(_ error: any Error) {
            switch self {
            case .values(let promise): promise.fail(error)
            case .bulks(let promise): promise.fail(error)
            }
        }
    }

    var commands: ByteBuffer
    let count: Int
    let replies: Replies
    /// The first command's name, for the timeout error.
    let name: String
}

/// Writes batches and hands the replies, decoded straight from the received bytes, to the oldest
/// waiting batch (Redis answers in order). Batches come from `RedisOutbox` by a direct call on the
/// event loop (`send`), not through the pipeline's outbound path: no type-erased `NIOAny` per
/// batch and no write promise, since a batch that reaches an open channel is in `waiting`, where
/// closing fails it.
///
/// Timeouts: each batch gets a deadline when written; one timer follows the oldest batch's
/// deadline (rather than a scheduled task per batch). When the oldest batch is overdue every
/// waiting batch fails with `RESPError.timeout` and the channel is closed, since a late reply
/// would otherwise be matched to the wrong batch.
final class RedisCommandHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private struct Waiting {
        let replies: RedisBatch.Replies
        let count: Int
        let deadline: NIODeadline
        let name: String
    }

    private let timeout: TimeAmount
    private var waiting = CircularBuffer<Waiting>()
    /// Replies of the oldest batch received so far (one of the two, by its kind).
    private var values: [RESPValue] = []
    private var bulks: [ByteBuffer?] = []
    private var bulkError: String?
    /// Received bytes not yet decoded (the start of an incomplete reply).
    private var received = ByteBuffer()
    private var timer: Scheduled<Void>?
    private var context: ChannelHandlerContext?

    init(timeout: TimeAmount) { self.timeout = timeout }

    func handlerAdded(context: ChannelHandlerContext) { self.context = context }

    func handlerRemoved(context: ChannelHandlerContext) { self.context = nil }

    /// Writes `batches` and flushes once; on a closed channel they fail at once. On the event loop.
    func send(_ batches: [RedisBatch]) {
        guard let context, context.channel.isActive else {
            for batch in batches { batch.replies.fail(RESPError.closed) }
            return
        }
        let deadline = NIODeadline.now() + timeout
        for batch in batches {
            waiting.append(Waiting(replies: batch.replies, count: batch.count, deadline: deadline, name: batch.name))
            context.write(wrapOutboundOut(batch.commands), promise: nil)
        }
        if timer == nil { armTimer(context: context) }
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var incoming = unwrapInboundIn(data)
        if received.readableBytes == 0 {
            received = incoming
        } else {
            if received.readerIndex > 65_536 { received.discardReadBytes() }
            received.writeBuffer(&incoming)
        }
        do {
            while let head = waiting.first, try deliverOneReply(to: head) {}
            // Bytes nobody waits for (none in RESP2 unless a reply came after a failure): dropped.
            if waiting.isEmpty { received.moveReaderIndex(to: received.writerIndex) }
        } catch {
            failAll(error)
            context.close(promise: nil)
        }
    }

    /// Decodes the next reply for `head`; false if it has not fully arrived.
    private func deliverOneReply(to head: Waiting) throws(RESPError) -> Bool {
        switch head.replies {
        case .values:
            guard let value = try RESPValue.read(from: &received) else { return false }
            if values.isEmpty { values.reserveCapacity(head.count) }
            values.append(value)
            if values.count == head.count { completeOldest() }
        case .bulks:
            let read = try received.withUnsafeReadableBytes { bytes throws(RESPError) in
                var reader = RESPReader(bytes)
                return try reader.bulk().map { ($0, reader.index) }
            }
            guard let (reply, length) = read else { return false }
            if bulks.isEmpty { bulks.reserveCapacity(head.count) }
            switch reply {
            case .string(let range): bulks.append(received.getSlice(at: received.readerIndex + range.lowerBound, length: range.count))
            case .null: bulks.append(nil)
            case .other(let other):
                bulks.append(nil)
                if bulkError == nil { bulkError = if case .error(let message) = other { message } else { "unexpected reply \(other)" } }
            }
            received.moveReaderIndex(forwardBy: length)
            if bulks.count == head.count { completeOldest() }
        }
        return true
    }

    /// Completes the oldest batch with the replies collected and makes room for the next. The
    /// batch leaves the queue before its promise runs any callback.
    private func completeOldest() {
        let head = waiting.removeFirst()
        switch head.replies {
        case .values(let promise):
            let collected = values
            values = []
            promise.succeed(collected)
        case .bulks(let promise):
            let collected = bulks, error = bulkError
            bulks = []
            bulkError = nil
            if let error { promise.fail(RESPError.server(error)) } else { promise.succeed(collected) }
        }
    }

    /// Keeps one timer at the oldest batch's deadline.
    private func armTimer(context: ChannelHandlerContext) {
        guard let head = waiting.first else { timer = nil; return }
        timer = context.eventLoop.assumeIsolated().scheduleTask(deadline: head.deadline) { [self] in
            timer = nil
            guard let oldest = waiting.first else { return }
            if oldest.deadline <= .now() {
                failAll(RESPError.timeout(oldest.count == 1 ? oldest.name : "a pipeline of \(oldest.count)"))
                context.close(promise: nil)
            } else {
                armTimer(context: context)
            }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RESPError.closed)
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    private func failAll(_ error: any Error) {
        values = []
        bulks = []
        bulkError = nil
        while let batch = waiting.popFirst() { batch.replies.fail(error) }
    }
}
