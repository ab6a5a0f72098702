// swift-tools-version: 6.1
// GPT-Trader for Swift: one event-driven kernel for backtest, paper and live trading.
// Targets follow the layers of docs/architecture.md; arrows only point down.
import PackageDescription

let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "GPTTrader",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gpt-trader", targets: ["gpt-trader"]),
        .library(name: "TraderCore", targets: ["TraderCore"]),
        .library(name: "TraderStrategies", targets: ["TraderStrategies"]),
        .library(name: "TraderEngine", targets: ["TraderEngine"]),
        .library(name: "TraderData", targets: ["TraderData"]),
        .library(name: "TraderAnalysis", targets: ["TraderAnalysis"]),
        .library(name: "TraderCache", targets: ["TraderCache"]),
        .library(name: "TraderStore", targets: ["TraderStore"]),
        .library(name: "TraderYAML", targets: ["TraderYAML"]),
        .library(name: "TraderWorkflows", targets: ["TraderWorkflows"]),
        .library(name: "TraderLive", targets: ["TraderLive"]),
        .library(name: "TraderApp", targets: ["TraderApp"]),
        .library(name: "TraderCLI", targets: ["TraderCLI"]),
        // The local venue servers of the tests, for the latency benchmark (Benchmarks/).
        .library(name: "TestSupport", targets: ["TestSupport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/vapor/sqlite-nio", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        // The venues' market-data WebSockets (client); the tests' local venue servers use Hummingbird.
        .package(url: "https://github.com/hummingbird-project/swift-websocket", from: "1.6.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket", from: "2.8.1"),
        // The venues' REST trading APIs: one pooled client per venue; Coinbase's ES256 request signing.
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
    ],
    targets: [
        .target(name: "TraderCore", swiftSettings: strict),
        .target(name: "TraderStrategies", dependencies: ["TraderCore"], swiftSettings: strict),
        .target(name: "TraderEngine", dependencies: ["TraderCore", "TraderStrategies"], swiftSettings: strict),
        .target(name: "TraderData", dependencies: ["TraderCore"], swiftSettings: strict),
        .target(
            name: "TraderCache",
            dependencies: [
                "TraderCore",   // DisplayText and ByteCountText for messages quoting a server's bytes
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TraderStore",
            dependencies: [
                "TraderCore", "TraderEngine",
                .product(name: "SQLiteNIO", package: "sqlite-nio"), .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strict
        ),
        .target(name: "TraderYAML", dependencies: ["TraderCore", "TraderData", .product(name: "Yams", package: "Yams")], swiftSettings: strict),
        .target(name: "TraderWorkflows", dependencies: ["TraderCore", "TraderYAML"], swiftSettings: strict),
        .target(name: "TraderAnalysis", dependencies: ["TraderCore", "TraderStrategies", "TraderEngine"], swiftSettings: strict),
        // Paper and live trading: feeds, sessions, the event bus (docs/live.md).
        .target(name: "TraderLive", dependencies: ["TraderCore", "TraderStrategies", "TraderEngine", "TraderData", "TraderStore",
                                            .product(name: "WSClient", package: "swift-websocket"),
                                            .product(name: "AsyncHTTPClient", package: "async-http-client"),
                                            .product(name: "JWTKit", package: "jwt-kit"),
                                            .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                                            .product(name: "Logging", package: "swift-log")], swiftSettings: strict),
        .target(name: "TraderApp", dependencies: ["TraderCore", "TraderStrategies", "TraderEngine", "TraderData", "TraderAnalysis", "TraderCache", "TraderStore",
                                           "TraderLive",
                                           "TraderWorkflows", "TraderYAML",
                                           .product(name: "Logging", package: "swift-log"),
                                           .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                                           .product(name: "NIOHTTP1", package: "swift-nio"),
                                           .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")],
                swiftSettings: strict),
        .target(
            name: "TraderCLI",
            dependencies: [
                "TraderApp", "TraderCore", "TraderStrategies", "TraderEngine", "TraderData", "TraderAnalysis", "TraderCache", "TraderStore",
                "TraderLive", "TraderWorkflows",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(name: "gpt-trader", dependencies: ["TraderCLI"], swiftSettings: strict),

        // Helpers shared by test targets (running programs without Foundation's Process).
        .target(name: "TestSupport", dependencies: [
                    "TraderCore",
                    // The local venue servers the adapters' tests talk to.
                    .product(name: "Hummingbird", package: "hummingbird"),
                    .product(name: "HummingbirdCore", package: "hummingbird"),
                    .product(name: "JWTKit", package: "jwt-kit"),  // verifies Coinbase's request signatures
                    .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                    .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                ], path: "Tests/TestSupport"),
        .testTarget(name: "TraderCoreTests", dependencies: ["TraderCore"]),
        .testTarget(name: "TraderStrategiesTests", dependencies: ["TraderStrategies"]),
        .testTarget(name: "TraderEngineTests", dependencies: ["TraderEngine", "TraderData"]),
        .testTarget(name: "TraderDataTests", dependencies: ["TraderData"]),
        .testTarget(name: "TraderCacheTests", dependencies: ["TraderCache", "TestSupport"]),
        .testTarget(name: "TraderStoreTests", dependencies: ["TraderStore", "TraderCore", "TraderEngine", "TestSupport",
                                                      // LegacyRuns writes rows the way older schemas did, through the drivers.
                                                      .product(name: "SQLiteNIO", package: "sqlite-nio"),
                                                      .product(name: "PostgresNIO", package: "postgres-nio"),
                                                      .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "TraderAnalysisTests", dependencies: ["TraderAnalysis", "TraderCore", "TraderEngine", "TraderStrategies", "TraderData"]),
        .testTarget(name: "TraderAppTests", dependencies: ["TraderApp", "TraderCore", "TraderEngine", "TraderStrategies", "TraderData", "TraderAnalysis", "TraderCache",
                                                    "TraderStore", "TraderWorkflows", "TraderLive", "TestSupport"]),
        .testTarget(name: "TraderLiveTests", dependencies: ["TraderLive", "TraderCore", "TraderEngine", "TraderStrategies", "TraderData", "TraderStore",
                                                     "TestSupport", .product(name: "JWTKit", package: "jwt-kit")]),
        .testTarget(name: "TraderWorkflowsTests", dependencies: ["TraderWorkflows", "TraderCore", "TraderYAML"]),
        .testTarget(name: "TraderCLITests", dependencies: ["TraderCLI", "TraderApp", "TraderCache", "TraderStore", "TraderData", "TestSupport"]),
    ]
)
