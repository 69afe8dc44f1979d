import Engagement
import Foundation
import Platform

/// What the routes need: the platform (stores, secret, clock) and the HTTP limits.
public struct AppServices: Sendable {
    public var platform: Platform
    /// The largest request body accepted, in bytes.
    public var maximumBodyBytes: Int
    /// The largest activity batch accepted, in bytes after decompression.
    public var maximumActivityBytes: Int

    public init(platform: Platform, maximumBodyBytes: Int = 1 << 20, maximumActivityBytes: Int = 256 << 20) {
        self.platform = platform
        self.maximumBodyBytes = maximumBodyBytes
        self.maximumActivityBytes = maximumActivityBytes
    }

    public init(
        control: TenantStore, regions: RegionDatabases, serviceSecret: [UInt8], maximumBodyBytes: Int = 1 << 20,
        maximumActivityBytes: Int = 256 << 20, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.init(
            platform: Platform(control: control, regions: regions, serviceSecret: serviceSecret, now: now),
            maximumBodyBytes: maximumBodyBytes, maximumActivityBytes: maximumActivityBytes)
    }

    public var control: TenantStore { platform.control }
    public var regions: RegionDatabases { platform.regions }
    public var now: @Sendable () -> Date { platform.now }

    public func activityScope(for environment: ControlStore.Environment) async throws -> ActivityImporter.Scope {
        try await platform.activityScope(for: environment)
    }

    public var prerequisites: Prerequisites { platform.prerequisites }
}
