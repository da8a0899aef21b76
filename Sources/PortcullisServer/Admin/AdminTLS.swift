import PortcullisConfig
import PortcullisCore
import PortcullisTLS

/// HTTPS for the admin listener: the store certificate named by `[admin] certificate`, read from the
/// state in service (so a renewed certificate is picked up by the next connection), under the
/// configuration's default policy.
enum AdminTLS {
    /// Makes `server` speak TLS, or throws why the certificate cannot be served.
    static func enable(on server: HTTPServer, settings: AdminSettings, plane: ControlPlane) throws {
        guard let name = settings.certificate else { throw ServerError("[admin] tls = true needs certificate") }
        guard plane.servedChain(name: name) != nil else {
            throw ServerError(
                "[admin] certificate \"\(name)\" at \(plane.config.sourcePath):\(settings.line) is not served by any site or "
                    + "listener; the admin listener can use a certificate that a site or listener serves")
        }
        let front = try plane.adminFrontContext(certificate: name)
        server.enableTLS { front.makeServerSSL() }
    }
}
