import PortcullisCertificates
import PortcullisHTTP
import PortcullisTLS

extension ControlPlane {
    /// A TLS front context for the admin listener: `[tls] default_policy`, the certificate `name` of
    /// the state in service when the client sends no (or an unknown) SNI.
    func adminFrontContext(certificate name: String) throws -> FrontTLSContext {
        var table = PolicyTable(config: self.config)
        let policy = TLSPolicySettings(try table.defaultPolicy().policy)
        let source = DataPlane(routes: self.serving, challenges: self.challenges, metrics: self.metrics)
        return try FrontTLSContext(holder: source, defaultCertificateID: self.registry.id(for: name), policy: policy)
    }
}
