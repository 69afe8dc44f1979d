import Foundation
import Postgres

extension GraphAdminConsent {
    /// The consent email's paragraph with the admin-consent URL; empty when the tenant has no app registration.
    func emailParagraph(_ connection: PostgresConnection, tenant: UUID, request: UUID, expiresAt: Date, at moment: Date) async throws -> String {
        guard let url = try await makeURL(connection, tenant: tenant, request: request, expiresAt: expiresAt, at: moment) else { return "" }
        return """

            Rapport reads Microsoft 365 through your organization's own Entra app registration. Granting admin consent to \
            that app with Microsoft grants this consent too (sign in as a Global or Privileged Role Administrator):

            \(url)

            """
    }
}
