import Logging
import PortcullisACME
import PortcullisCore
import Synchronization

/// The ACME client's place in the server: started once the listeners are up (so HTTP-01 can be
/// answered), told about reloads, and handing issued certificates to the control thread for the swap.
extension ProxyServer {
    /// Starts issuing and renewing the certificates of `certificate = "acme"` sites (no-op without any).
    func startACME() {
        let server = ServerReference(self)
        let manager = ACMEManager(
            config: self.state.config, challenges: self.challenges, logger: Logger(label: "portcullis.acme"),
            onInstalled: { name in
                server.control.schedule { server.reloadCertificates(reason: "acme certificate \(name)") }
            })
        acmeManagers.withLock { $0[ObjectIdentifier(self)] = manager }
        manager.start()
    }

    /// Hands a reloaded configuration to the ACME client (call after a successful reload).
    func updateACME() {
        acmeManagers.withLock { $0[ObjectIdentifier(self)] }?.update(config: self.state.config)
    }

    /// Stops the ACME thread after its current step (call when draining).
    func stopACME() {
        acmeManagers.withLock { $0[ObjectIdentifier(self)] }?.stop()
    }
}

/// The running ACME manager per server (ProxyServer's stored properties live in its main file).
private let acmeManagers = Mutex<[ObjectIdentifier: ACMEManager]>([:])

/// Lets the ACME thread post work to the server's control thread.
private final class ServerReference: @unchecked Sendable {  // used only inside control.schedule, on the control thread
    private let server: ProxyServer
    init(_ server: ProxyServer) { self.server = server }
    /// The control base (its `schedule` is thread-safe).
    var control: EventBase { self.server.control }
    /// Rebuilds and swaps the certificate snapshot.
    func reloadCertificates(reason: String) { self.server.reloadCertificates(reason: reason) }
}
