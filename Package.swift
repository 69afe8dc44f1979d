// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "rapport",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rapport", targets: ["rapport"]),
        .executable(name: "rapport-dev", targets: ["rapport-dev"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        // The Microsoft Graph connector's HTTP client (issue 8).
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibpq",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "Postgres",
            dependencies: [
                "CLibpq",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(name: "Engagement"),
        // zlib (apt zlib1g-dev): gzip request bodies and files.
        .systemLibrary(
            name: "CZlib",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "Ingest", dependencies: ["Engagement", "CZlib"]),
        .target(name: "Generator", dependencies: ["Engagement", "Ingest"]),
        // Data access to the control database (sql/control): tenants, access, consent, runs queue, outbox, registrations.
        .target(
            name: "ControlStore",
            dependencies: [
                "Postgres", "Engagement",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Data access to a region database (sql/region), always inside `withTenant`: customer data, activity,
        // aggregation, results, segments, Graph sync state.
        .target(
            name: "RegionStore",
            dependencies: [
                "Postgres", "Engagement", "Ingest",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // Workflows and all authorization over both stores; AdminAPI, Worker and the executables import only this.
        .target(
            name: "Platform",
            dependencies: [
                "ControlStore", "RegionStore", "Postgres", "Engagement", "Ingest",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "AdminAPI",
            dependencies: [
                "Platform", "Postgres", "Engagement", "Ingest",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // Microsoft Graph (issue 8): token, directory, mail and calendar delta sync; Dataverse (issue 17): tables, export; webhooks.
        .target(
            name: "Connectors",
            dependencies: [
                "Engagement", "Ingest", "Platform",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // What the fakes share: the local HTTP server carrying raw requests to a handler, the raw request, the JSON
        // byte writer, SplitMix64.
        .target(
            name: "FakeServiceKit",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // A fake Microsoft Graph server (tests, benchmark, `rapport fake-graph`).
        .target(
            name: "FakeGraph",
            dependencies: [
                "Engagement", "FakeServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // A fake Dataverse organization server (tests, benchmark, demo), built from Microsoft's Web API documentation.
        .target(
            name: "FakeDataverse",
            dependencies: [
                "Ingest", "FakeServiceKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Worker",
            dependencies: [
                "Platform", "Postgres", "Engagement", "Mail", "Connectors",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        // The production binary: what an operator runs (no generator, fake Graph, demo or benchmarks).
        .executableTarget(
            name: "rapport",
            dependencies: [
                "Postgres", "Engagement", "Ingest", "Platform", "AdminAPI", "Worker", "Connectors", "Mail",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The developer's binary: the demo, the generator, the fake Microsoft Graph, the benchmarks.
        .executableTarget(
            name: "rapport-dev",
            dependencies: [
                "Postgres", "Engagement", "Ingest", "Platform", "AdminAPI", "Worker", "Generator", "Connectors", "FakeGraph", "FakeDataverse",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // libFuzzer targets (`make fuzz`); plain builds make them replay tools. FuzzDriver is their shared `main`.
        .target(name: "FuzzDriver"),
        .executableTarget(name: "IngestFuzzMail", dependencies: ["FuzzDriver", "Ingest"]),
        .executableTarget(name: "IngestFuzzICal", dependencies: ["FuzzDriver", "Ingest"]),
        .executableTarget(name: "IngestFuzzGraph", dependencies: ["FuzzDriver", "Ingest"]),
        .executableTarget(name: "IngestFuzzNDJSON", dependencies: ["FuzzDriver", "Ingest"]),
        .executableTarget(name: "IngestFuzzCSV", dependencies: ["FuzzDriver", "Ingest"]),
        .executableTarget(name: "FuzzSegment", dependencies: ["FuzzDriver", "Engagement"]),
        .executableTarget(name: "FuzzLineSplitter", dependencies: ["FuzzDriver", "Ingest"]),
        .target(
            name: "Mail",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "TestSupport",
            dependencies: [
                "Postgres", "CZlib",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/Support"
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "CLITests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: ["Platform", "Ingest", "Engagement", "Postgres", "TestSupport"]),
        .testTarget(
            name: "AdminAPITests",
            dependencies: [
                "AdminAPI", "Platform", "Postgres", "Engagement", "TestSupport", "Worker", "Mail",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "ConnectorTests",
            dependencies: [
                "Connectors", "FakeGraph", "FakeDataverse", "AdminAPI", "Platform", "Postgres", "Engagement", "Ingest", "Worker", "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "MailTests",
            dependencies: ["Mail", "TestSupport", .product(name: "NIOCore", package: "swift-nio")]
        ),
        .testTarget(
            name: "FakeDataverseTests",
            dependencies: [
                "FakeDataverse", "Ingest",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Engagement"], exclude: ["Fixtures"]),
        .testTarget(name: "EngagementTests", dependencies: ["Engagement"]),
        .testTarget(name: "GeneratorTests", dependencies: ["Generator", "Ingest", "Engagement", "FakeGraph"]),
    ],
    swiftLanguageModes: [.v6]
)
