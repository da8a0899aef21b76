import PortcullisCore

@testable import PortcullisAdmin

/// A backend that records calls and answers from fixed values, for the API's routing and auth logic.
final class RecordingBackend: AdminBackend {
    var calls: [String] = []
    var putResult: Result<Bool, AdminError> = .success(true)
    let row = CertificateInfo(
        name: "shop", domains: ["shop.test"], source: "user", subjectCN: "shop.test", issuer: "CN=Test CA",
        keyType: "ec256", notBefore: "2026-01-01T00:00:00Z", notAfter: "2027-01-01T00:00:00Z", daysLeft: 30,
        status: "valid", deployed: ["site:shop.test"], serial: "01", fingerprintSHA256: String(repeating: "a", count: 64),
        previous: false)

    func listCertificates() throws -> [CertificateInfo] {
        self.calls.append("list")
        return [self.row]
    }
    func certificate(named name: String) throws -> CertificateDetail {
        guard name == "shop" else { throw AdminError(.notFound, "no certificate named \"\(name)\"") }
        return CertificateDetail(info: self.row, chainPEM: "-----BEGIN CERTIFICATE-----\n")
    }
    func putCertificate(named name: String, upload: CertificateUpload) throws -> (created: Bool, certificate: CertificateInfo) {
        self.calls.append("put \(name)")
        return (try self.putResult.get(), self.row)
    }
    func chainPEM(named name: String) throws -> String { "-----BEGIN CERTIFICATE-----\n" }
    func rollbackCertificate(named name: String) throws -> CertificateInfo { self.row }
    func deleteCertificate(named name: String, force: Bool) throws {
        self.calls.append("delete \(name) force=\(force)")
        if !force { throw AdminError(.conflict, "certificate \"\(name)\" is used by site shop.test") }
    }
    func renewCertificate(named name: String) throws { throw AdminError(.conflict, "not an ACME certificate") }
    func sites() -> [SiteInfo] { [] }
    func policies() -> [PolicyInfo] { [] }
    func reload() throws -> Int {
        self.calls.append("reload")
        return 2
    }
    func events(after: UInt64) -> [ControlEvent] { [] }
    func metricsText() -> String { "# HELP x y\n" }
}
