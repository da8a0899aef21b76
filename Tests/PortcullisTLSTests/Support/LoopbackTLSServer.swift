import COpenSSL
import Foundation
@testable import PortcullisTLS
import Synchronization

/// A blocking, one-connection-at-a-time TLS server on 127.0.0.1 (port chosen by the kernel) that
/// accepts with `SSL_new(front)` + `SSL_accept`, writes one line and closes cleanly. It records what
/// the ClientHello callback selected for each connection.
final class LoopbackTLSServer: Sendable {
    /// What the server saw for one connection.
    struct Accepted: Sendable {
        var handshakeOK: Bool
        var certificateID: Int?
        var serverName: String
        var protocolName: String
    }

    let port: UInt16
    private let listenFD: Int32
    private let front: FrontTLSContext
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private let log = Mutex<[Accepted]>([])

    /// Binds and starts the accept thread.
    init(front: FrontTLSContext) throws {
        signal(SIGPIPE, SIG_IGN)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(fd, socketAddress, length) == 0 && listen(fd, 16) == 0
                    && getsockname(fd, socketAddress, &length) == 0
            }
        }
        guard fd >= 0, bound else { throw POSIXError(.EADDRNOTAVAIL) }
        self.listenFD = fd
        self.port = UInt16(bigEndian: address.sin_port)
        self.front = front
        Thread { self.acceptLoop() }.start()
    }

    /// Stops the accept thread (waits at most 5 s) and closes the socket.
    func stop() {
        self.stopping.store(true, ordering: .relaxed)
        _ = self.finished.wait(timeout: .now() + 5)
        close(self.listenFD)
    }

    /// Everything accepted so far.
    var accepted: [Accepted] { self.log.withLock { $0 } }

    private func acceptLoop() {
        defer { self.finished.signal() }
        while !self.stopping.load(ordering: .relaxed) {
            var poller = pollfd(fd: self.listenFD, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let client = accept(self.listenFD, nil, nil)
            guard client >= 0 else { continue }
            var timeout = timeval(tv_sec: 5, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            self.serve(client)
            close(client)
        }
    }

    /// Handshake, one line of data, close_notify.
    private func serve(_ client: Int32) {
        guard let ssl = self.front.makeServerSSL() else { return }
        defer { SSL_free(ssl) }
        SSL_set_fd(ssl, client)
        let ok = SSL_accept(ssl) == 1
        if ok {
            let line = Array("hello from portcullis\n".utf8)
            _ = SSL_write(ssl, line, Int32(line.count))
            TLSSessionInfo.shutdown(ssl)
        }
        var name = [UInt8](repeating: 0, count: 255)
        let length = name.withUnsafeMutableBytes { TLSSessionInfo.serverName(ssl, into: $0) }
        let record = Accepted(
            handshakeOK: ok, certificateID: TLSSessionInfo.selectedCertificateID(ssl),
            serverName: String(decoding: name[..<length], as: UTF8.self),
            protocolName: "\(TLSSessionInfo.protocolVersionName(ssl))")
        self.log.withLock { $0.append(record) }
        ERR_clear_error()
    }
}
