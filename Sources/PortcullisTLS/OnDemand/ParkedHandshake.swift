internal import CLibevent
internal import COpenSSL
import Glibc
import PortcullisCore

/// Runs a server handshake on a worker without a bufferevent, because libevent 2.1's
/// bufferevent_openssl treats `SSL_ERROR_WANT_CLIENT_HELLO_CB` as a fatal error. Used for on-demand
/// listeners: when the ClientHello callback parks the handshake (`SSL_CLIENT_HELLO_RETRY`), it is
/// retried every 50 ms (the callback re-reads the snapshot) until the certificate is in service, or
/// until `OnDemandNames.timeout`, after which it completes with the default certificate. Never blocks.
/// On success the caller gets the `SSL` (fd attached, handshake done) to wrap in an OPEN bufferevent;
/// on failure the connection is closed here.
package final class ParkedHandshake {
    /// SSL ex_data slot marking a handshake whose wait ran out (non-nil = expired).
    static let expiredIndex: Int32 = CRYPTO_get_ex_new_index(CRYPTO_EX_INDEX_SSL, 0, nil, nil, nil, nil)
    private static let retryInterval = 0.05

    private let base: EventBase
    private let fd: Int32
    private let ssl: OpaquePointer
    private let deadline: Double
    private var parkedSince: Double?
    private var event: OpaquePointer?
    private var done: ((OpaquePointer?) -> Void)?
    private var keepAlive: Unmanaged<ParkedHandshake>?

    /// Frees a handshaken `SSL` nobody could take over, and closes its socket.
    package static func discard(_ ssl: OpaquePointer, fd: Int32) {
        SSL_free(ssl)
        close(fd)
    }

    static func hasExpired(_ ssl: OpaquePointer) -> Bool { SSL_get_ex_data(ssl, Self.expiredIndex) != nil }

    /// Takes `ssl` and `fd`; `done` gets the handshaken `SSL`, or nil (the connection was closed).
    package init(
        base: EventBase, fd: Int32, ssl: OpaquePointer, timeout: Double, done: @escaping (OpaquePointer?) -> Void
    ) {
        (self.base, self.fd, self.ssl, self.done) = (base, fd, ssl, done)
        self.deadline = OnDemandNames.now() + timeout
    }

    /// Starts the handshake (the completion runs later on the base's thread).
    package func start() {
        self.keepAlive = Unmanaged.passRetained(self)
        guard SSL_set_fd(self.ssl, self.fd) == 1 else { return self.finish(success: false) }
        SSL_set_accept_state(self.ssl)
        self.step()
    }

    fileprivate func step() {
        let result = SSL_do_handshake(self.ssl)
        if result == 1 { return self.finish(success: true) }
        let now = OnDemandNames.now()
        guard now < self.deadline else { return self.finish(success: false) }
        switch SSL_get_error(self.ssl, result) {
        case SSL_ERROR_WANT_READ: self.wait(Int16(EV_READ), seconds: self.deadline - now)
        case SSL_ERROR_WANT_WRITE: self.wait(Int16(EV_WRITE), seconds: self.deadline - now)
        case SSL_ERROR_WANT_CLIENT_HELLO_CB:
            let since = self.parkedSince ?? now
            self.parkedSince = since
            if now - since >= OnDemandNames.shared.timeout {
                // Waited long enough: the next ClientHello callback serves the default certificate.
                _ = SSL_set_ex_data(self.ssl, Self.expiredIndex, UnsafeMutableRawPointer(bitPattern: 1))
                return self.step()
            }
            self.wait(0, seconds: Self.retryInterval)
        default: self.finish(success: false)
        }
    }

    /// One event: readiness of `fd` for `what`, or a plain timer when `what` is 0.
    private func wait(_ what: Int16, seconds: Double) {
        if let event = self.event { event_free(event) }
        let arg = self.keepAlive!.toOpaque()
        self.event = event_new(self.base.raw, what == 0 ? -1 : self.fd, what, onParkedEvent, arg)
        guard let event = self.event else { return self.finish(success: false) }
        var tv = timeval(tv_sec: Int(seconds), tv_usec: Int((seconds - Double(Int(seconds))) * 1e6))
        event_add(event, &tv)
    }

    fileprivate func fired(_ what: Int16) {
        if what & Int16(EV_TIMEOUT) != 0, self.parkedSince == nil || OnDemandNames.now() >= self.deadline {
            return self.finish(success: false)
        }
        self.step()
    }

    private func finish(success: Bool) {
        if let event = self.event { event_free(event) }
        self.event = nil
        if !success {
            ERR_clear_error()
            SSL_free(self.ssl)
            close(self.fd)
        }
        let done = self.done
        self.done = nil
        done?(success ? self.ssl : nil)
        self.keepAlive?.release()
        self.keepAlive = nil
    }
}

private let onParkedEvent: event_callback_fn = { _, what, arg in
    Unmanaged<ParkedHandshake>.fromOpaque(arg!).takeUnretainedValue().fired(what)
}
