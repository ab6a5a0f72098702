// GET throughput of TraderCache's Redis client with pipelining, to compare with
// `redis-benchmark -t get -P 16` against the same server in the same run (scripts/bench-redis):
//
//   redis-bench redis://127.0.0.1:PORT/0 [--requests 1000000] [--pipeline 16] [--lanes 1]
//
// One connection, `pipeline` commands in flight (as redis-benchmark -P keeps 16 per client), the
// 3-byte value redis-benchmark uses. Prints one JSON line.
import Foundation
import TraderCache

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: "--\(name)"), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
guard let urlText = args.first, let url = try? RedisURL(parsing: urlText) else {
    FileHandle.standardError.write(Data("usage: redis-bench redis://HOST:PORT/DB [--requests N] [--pipeline P]\n".utf8))
    exit(2)
}
let requests = option("requests", 1_000_000), pipeline = option("pipeline", 16), lanes = option("lanes", 1)

final class Box: @unchecked Sendable { var seconds = 0.0; var error: (any Error)? }
let box = Box()
let done = DispatchSemaphore(value: 0)
Task.detached {
    do {
        let redis = try await RedisConnection.connect(to: url)
        try await redis.set("key:__rand_int__", Array("xxx".utf8))
        let start = ContinuousClock.now
        // `lanes` batches in flight, each of `pipeline` GETs sent in one write (redis-benchmark's
        // -P 16 with -c lanes).
        let batch = Array(repeating: ["GET", "key:__rand_int__"], count: pipeline)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for lane in 0..<lanes {
                group.addTask {
                    var i = lane * pipeline
                    while i < requests {
                        _ = try await redis.pipeline(batch)
                        i += pipeline * lanes
                    }
                }
            }
            try await group.waitForAll()
        }
        let d = ContinuousClock.now - start
        box.seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        try await redis.close()
    } catch { box.error = error }
    done.signal()
}
done.wait()
if let error = box.error { FileHandle.standardError.write(Data("redis-bench: \(error)\n".utf8)); exit(1) }
print("{\"task\": \"redis-get\", \"client\": \"gpt-trader\", \"requests\": \(requests), \"pipeline\": \(pipeline), \"lanes\": \(lanes), \"seconds\": \(box.seconds), \"requests_per_s\": \(Int(Double(requests) / box.seconds))}")
