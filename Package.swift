// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "rapport",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "rapport", targets: ["rapport"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
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
            ]
        ),
        .target(name: "Engagement"),
        .target(name: "Ingest", dependencies: ["Engagement"]),
        .executableTarget(
            name: "rapport",
            dependencies: [
                "Postgres", "Engagement", "Ingest",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // Fuzz targets of the Ingest parsers (`make ingest-fuzz`); plain builds make them replay tools.
        .executableTarget(name: "IngestFuzzMail", dependencies: ["Ingest"]),
        .executableTarget(name: "IngestFuzzICal", dependencies: ["Ingest"]),
        .executableTarget(name: "IngestFuzzGraph", dependencies: ["Ingest"]),
        .executableTarget(name: "IngestFuzzNDJSON", dependencies: ["Ingest"]),
        .executableTarget(name: "IngestFuzzCSV", dependencies: ["Ingest"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres"]),
        .testTarget(name: "IngestTests", dependencies: ["Ingest", "Engagement"], exclude: ["Fixtures"]),
    ],
    swiftLanguageModes: [.v6]
)
