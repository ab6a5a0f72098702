// GET throughput of TraderCache's Redis client with pipelining, to compare with
// `redis-benchmark -t get -P 16 -c N` against the same server in the same run (scripts/bench-redis):
//
//   redis-bench redis://127.0.0.1:PORT/0 [--requests 1000000] [--pipeline 16] [--connections 1]
//               [--lanes 1] [--api get|pipeline]
//
// `connections` connections, each with `lanes` batches of `pipeline` GETs in flight (redis-benchmark
// -P 16 -c N keeps one batch of 16 in flight per connection, so it compares with --lanes 1 and
// --connections N). `--api get` uses `pipelineGet` (values as buffer slices), `--api pipeline`
// the general `pipeline` (replies as `RESPValue`). The 3-byte value redis-benchmark uses. Prints
// one JSON line.
import Foundation
import NIOCore
import NIOPosix
import TraderCache

let args = Array(CommandLine.arguments.dropFirst())
func option(_ name: String, _ fallback: Int) -> Int {
    guard let i = args.firstIndex(of: "--\(name)"), i + 1 < args.count, let v = Int(args[i + 1]) else { return fallback }
    return v
}
guard let urlText = args.first, let url = try? RedisURL(parsing: urlText) else {
    FileHandle.standardError.write(Data("usage: redis-bench redis://HOST:PORT/DB [--requests N] [--pipeline P] [--connections C] [--lanes L] [--api get|pipeline]\n".utf8))
    exit(2)
}
let requests = option("requests", 1_000_000), pipeline = option("pipeline", 16)
let connections = option("connections", 1), lanes = option("lanes", 1)
func text(_ name: String, _ fallback: String) -> String {
    args.firstIndex(of: "--\(name)").flatMap { $0 + 1 < args.count ? args[$0 + 1] : nil } ?? fallback
}
let api = text("api", "get")
// `--executor nio` runs Swift Concurrency's tasks on NIO's event loops (NIO's own opt-in for
// applications), so a task resumed by a reply runs on the loop that received it and writes its
// next batch without a thread switch, as redis-benchmark's single event loop does. The default
// is Swift's global executor: a task hop and an event-loop hop per round trip. `--executor
// connection` keeps the global executor but runs each lane on its connection's event loop
// (`RedisConnection.taskExecutor`, a task executor preference): the same effect, per task.
let executor = text("executor", "default")
// `--loops N`: event-loop threads of NIO's shared group (default: one per core). One loop is
// redis-benchmark's shape: a single client thread, the other core left to redis-server.
if let loops = Int(text("loops", "")) { NIOSingletons.groupLoopCountSuggestion = loops }
if executor == "nio" && !NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor() {
    FileHandle.standardError.write(Data("redis-bench: cannot install NIO as the global executor\n".utf8))
    exit(2)
}

final class Box: @unchecked Sendable { var seconds = 0.0; var error: (any Error)? }
let box = Box()
let done = DispatchSemaphore(value: 0)
Task.detached {
    do {
        var pool: [RedisConnection] = []
        for _ in 0..<connections { pool.append(try await RedisConnection.connect(to: url)) }
        try await pool[0].set("key:__rand_int__", Array("xxx".utf8))
        let keys = Array(repeating: "key:__rand_int__", count: pipeline)
        let commands = keys.map { ["GET", $0] }
        let streams = connections * lanes
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for stream in 0..<streams {
                let redis = pool[stream % connections]
                @Sendable func lane() async throws {
                    var i = stream * pipeline
                    while i < requests {
                        if api == "pipeline" {
                            _ = try await redis.pipeline(commands)
                        } else {
                            _ = try await redis.pipelineGet(keys)
                        }
                        i += pipeline * streams
                    }
                }
                if executor == "connection" {
                    group.addTask(executorPreference: redis.taskExecutor) { try await lane() }
                } else {
                    group.addTask { try await lane() }
                }
            }
            try await group.waitForAll()
        }
        let d = ContinuousClock.now - start
        box.seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        for redis in pool { try await redis.close() }
    } catch { box.error = error }
    done.signal()
}
done.wait()
if let error = box.error { FileHandle.standardError.write(Data("redis-bench: \(error)\n".utf8)); exit(1) }
print("{\"task\": \"redis-get\", \"client\": \"gpt-trader\", \"api\": \"\(api)\", \"executor\": \"\(executor)\", \"loops\": \(NIOSingletons.groupLoopCountSuggestion), \"requests\": \(requests), \"pipeline\": \(pipeline), \"connections\": \(connections), \"lanes\": \(lanes), \"seconds\": \(box.seconds), \"requests_per_s\": \(Int(Double(requests) / box.seconds))}")
