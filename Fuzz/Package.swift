// swift-tools-version: 6.1
// libFuzzer targets for GPT-Trader's parsers (docs/fuzzing.md), kept out of the main package so
// `swift build --build-tests` never builds them. One executable holds every target; FUZZ_TARGET
// picks one. Build and run through ../scripts/fuzz, which passes what this needs: AddressSanitizer
// and libFuzzer's coverage instrumentation for every module, -enable-testing (@testable imports
// in release), and libFuzzer's runtime without its `main` (main.swift starts its driver).
import PackageDescription

let package = Package(
    name: "GPTTraderFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "GPTTrader", path: ".."),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),   // ByteBuffer, for RESP commands
    ],
    targets: [
        .executableTarget(
            name: "gpt-trader-fuzz",
            dependencies: [
                .product(name: "TraderCore", package: "GPTTrader"),
                .product(name: "TraderData", package: "GPTTrader"),
                .product(name: "TraderYAML", package: "GPTTrader"),
                .product(name: "TraderWorkflows", package: "GPTTrader"),
                .product(name: "TraderCache", package: "GPTTrader"),
                .product(name: "TraderEngine", package: "GPTTrader"),
                .product(name: "TraderStrategies", package: "GPTTrader"),
                .product(name: "TraderApp", package: "GPTTrader"),
                .product(name: "TraderCLI", package: "GPTTrader"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            path: "Sources/FuzzTargets"
        ),
    ]
)
