import NIOCore
import TraderCore
@testable import TraderCache

extension FuzzTarget {
    /// Replies of a broken or hostile Redis server, read as the connection reads them: values
    /// one after another until the bytes end or are refused, both as general replies and as the
    /// bulk replies of GET, under the standard limits and under small ones (so every limit is
    /// reached). A value read from the whole input must read as "incomplete" from any shorter
    /// prefix, since the connection reads replies as they arrive in pieces.
    static let resp = FuzzTarget(name: "resp", summary: "RESPReader: values, incomplete prefixes and limits of replies") { data in
        for limits in [RESPLimits.standard, FuzzFixtures.smallRESPLimits] {
            var reader = RESPReader(data, limits: limits)
            var ends: [Int] = []
            while ends.count < 1_000 {
                let value: RESPValue?
                do throws(RESPError) { value = try reader.value() } catch {
                    Check.oneLine(error.description, "RESP")
                    break
                }
                guard value != nil else { break }
                ends.append(reader.index)
            }
            var bulks = RESPReader(data, limits: limits)
            while true {
                guard let reply = try? bulks.bulk() else { break }
                if case .string(let range) = reply { Check.require(range.upperBound <= data.count, "bulk range \(range) outside \(data.count) bytes") }
            }
            if let first = ends.first, first > 1 {
                for cut in [first / 2, first - 1] {
                    var prefix = RESPReader(UnsafeRawBufferPointer(rebasing: data[0..<cut]), limits: limits)
                    let early = try? prefix.value()
                    Check.require(early == nil, "a prefix of \(cut) of a \(first)-byte reply reads as a value")
                }
            }
        }
        // Commands the client writes read back as what was written.
        let arguments = data.split(separator: 0x20, maxSplits: 16, omittingEmptySubsequences: false).map { Array($0) }
        var buffer = ByteBuffer()
        RESPValue.writeCommand(arguments, into: &buffer)
        let back = try? RESPValue.read(from: &buffer)
        Check.require(back == .array(arguments.map { .bulkString($0) }), "a written command reads back as \(String(describing: back))")
    }
}

extension FuzzFixtures {
    static let smallRESPLimits = RESPLimits(maxBulkBytes: 64, maxLineBytes: 24, maxArrayCount: 8, maxDepth: 3, maxReplyBytes: 200)
}
