import Glibc
import PortcullisCore
import PortcullisTLS

/// On-demand listeners: the handshake runs in `ParkedHandshake` (which can wait for a certificate
/// being ordered), and the connection starts once it is done, as if libevent had completed it.
extension ClientConnection {
    static func startOnDemand(
        fd: Int32, peer: SocketAddress, endpoint: ListenerEndpoint, worker: HTTPWorker, front: FrontTLSContext
    ) {
        guard let ssl = front.makeServerSSL() else {
            Glibc.close(fd)
            return
        }
        let timeout = worker.currentRoutes().settings.handshakeTimeout + OnDemandNames.shared.timeout
        let handshake = ParkedHandshake(base: worker.base, fd: fd, ssl: ssl, timeout: timeout) { ssl in
            guard let ssl else { return }
            let connection = ClientConnection(peer: peer, endpoint: endpoint, worker: worker)
            guard connection.open(fd: fd, handshaken: ssl) else {
                ParkedHandshake.discard(ssl, fd: fd)
                return
            }
            _ = Unmanaged.passRetained(connection)
            worker.register(connection)
            connection.onHandshakeDone()
        }
        handshake.start()
    }
}
