// swift-tools-version: 6.1
// Benchmarks for GPT-Trader, kept out of the main package so the harness never slows the main
// build or CI. Run from this folder:
//   swift package benchmark                      # ordo-one benchmarks (release)
//   swift run -c release peer-compare FILE.csv   # figures in the format of ../shared/peers
//   swift run -c release memory-bounds optimize  # peak memory of 10,000 sets over 1M bars
//   swift run -c release regime-bench            # regime detection over 500 symbols, HMM fit
//   swift run -c release store-bench --sqlite F  # run-store write/read speed (../scripts/bench-store)
//   swift run -c release workflow-bench          # workflow executor and built-in workflows (../scripts/bench-workflows)
//   swift run -c release latency-bench           # market-data message to order request, p50/p99 (HDR histogram)
// or ../scripts/bench-peers from the repository root, which runs both next to the peers.
import PackageDescription

let package = Package(
    name: "GPTTraderBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "GPTTrader", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        // Same versions as the main package: store-bench drives the drivers directly for the
        // one-INSERT-per-row baseline, which the store API (rightly) does not offer.
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        .executableTarget(
            name: "BacktestBenchmarks",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "TraderEngine", package: "GPTTrader"),
                .product(name: "TraderData", package: "GPTTrader"),
                .product(name: "TraderStrategies", package: "GPTTrader"),
                .product(name: "TraderAnalysis", package: "GPTTrader"),
                .product(name: "TraderCache", package: "GPTTrader"),
                .product(name: "TraderApp", package: "GPTTrader"),
            ],
            path: "Benchmarks/BacktestBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
        .executableTarget(
            name: "peer-compare",
            dependencies: [
                .product(name: "TraderEngine", package: "GPTTrader"),
                .product(name: "TraderData", package: "GPTTrader"),
                .product(name: "TraderStrategies", package: "GPTTrader"),
            ],
            path: "Sources/PeerCompare"
        ),
        .executableTarget(
            name: "redis-bench",
            dependencies: [.product(name: "TraderCache", package: "GPTTrader")],
            path: "Sources/RedisBench"
        ),
        .executableTarget(
            name: "store-bench",
            dependencies: [
                .product(name: "TraderStore", package: "GPTTrader"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Sources/StoreBench"
        ),
        .executableTarget(
            name: "memory-bounds",
            dependencies: [
                .product(name: "TraderEngine", package: "GPTTrader"),
                .product(name: "TraderData", package: "GPTTrader"),
                .product(name: "TraderStrategies", package: "GPTTrader"),
            ],
            path: "Sources/MemoryBounds"
        ),
        .executableTarget(
            name: "workflow-bench",
            dependencies: [
                .product(name: "TraderApp", package: "GPTTrader"),
                .product(name: "TraderWorkflows", package: "GPTTrader"),
            ],
            path: "Sources/WorkflowBench"
        ),
        .executableTarget(
            name: "regime-bench",
            dependencies: [
                .product(name: "TraderAnalysis", package: "GPTTrader"),
                .product(name: "TraderData", package: "GPTTrader"),
            ],
            path: "Sources/RegimeBench"
        ),
        .executableTarget(
            name: "latency-bench",
            dependencies: [
                .product(name: "TraderLive", package: "GPTTrader"),
                .product(name: "TraderEngine", package: "GPTTrader"),
                .product(name: "TraderStrategies", package: "GPTTrader"),
                .product(name: "TraderCore", package: "GPTTrader"),
                .product(name: "TraderStore", package: "GPTTrader"),
                .product(name: "TestSupport", package: "GPTTrader"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ],
            path: "Sources/LatencyBench"
        ),
    ]
)
