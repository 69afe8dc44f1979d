import ControlStore
import Engagement
import Foundation

extension Platform {
    /// Grants or refuses consent in the console (the Office 365 administrator).
    public func decideConsent(tenant: UUID, grant: Bool, reason: String?, by caller: Caller) async throws {
        try caller.authorize(.decideConsent, in: tenant)
        try await consent.decide(tenant: tenant, grant: grant, reason: reason, by: caller, control: control, at: now())
    }

    /// Saves the tenant's Microsoft Graph app registration (the owner).
    public func saveGraphRegistration(tenant: UUID, _ input: GraphRegistrationStore.Input, by caller: Caller) async throws -> GraphRegistration {
        try caller.authorize(.manageGraphRegistration, in: tenant)
        return try await graphRegistrations.save(tenant: tenant, input, by: caller, control: control)
    }

    /// Removes the tenant's Microsoft Graph app registration (the owner).
    public func deleteGraphRegistration(tenant: UUID, by caller: Caller) async throws {
        try caller.authorize(.manageGraphRegistration, in: tenant)
        try await graphRegistrations.delete(tenant: tenant, by: caller, control: control)
    }

    /// A fresh admin-consent URL with a single-use state (the owner or the Office 365 administrator).
    public func adminConsentURL(tenant: UUID, by caller: Caller) async throws -> (url: String, expiresAt: Date) {
        try caller.authorize(.requestAdminConsent, in: tenant)
        return try await graphAdminConsent.consoleURL(tenant: tenant, by: caller, control: control)
    }
}
