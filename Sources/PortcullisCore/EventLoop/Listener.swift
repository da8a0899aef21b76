internal import CLibevent
import Glibc
import Logging

/// Receives accepted sockets on the worker thread that owns the listener.
public protocol ConnectionAcceptor: AnyObject {
    /// Takes ownership of `fd`.
    func onAccept(fd: Int32, peer: SocketAddress)
}

/// One `evconnlistener` on one worker's base, over an already-listening SO_REUSEPORT socket.
///
/// accept() failures that are not transient (EMFILE, ENFILE, ENOBUFS, ...) would otherwise spin: the
/// listening socket stays readable, so libevent calls accept() again at once, forever. Instead the
/// listener pauses for `acceptBackoff`, logs once per episode (until an accept succeeds again), and
/// resumes. The owner's own pause (connection cap) and the backoff are independent reasons.
public final class Listener {
    /// How long accepting pauses after an accept() failure such as EMFILE.
    public static let acceptBackoff: Double = 0.25
    private var raw: OpaquePointer?
    private var backoffTimer: OpaquePointer?
    private let acceptor: ConnectionAcceptor
    private let logger: Logger?
    private var pausedByOwner = false
    private var backingOff = false
    private var failureLogged = false

    /// Starts accepting on `base`; `acceptor` is called on the base's thread. The listener owns `fd`.
    public init(base: EventBase, fd: Int32, acceptor: ConnectionAcceptor, logger: Logger? = nil) {
        self.acceptor = acceptor
        self.logger = logger
        // CLOSE_ON_EXEC: accepted sockets (accept4 with SOCK_CLOEXEC) must not leak into the processes we
        // spawn (expiry_command, DNS-01 hooks); the listening socket itself is opened with SOCK_CLOEXEC.
        let flags = UInt32(LEV_OPT_CLOSE_ON_FREE) | UInt32(LEV_OPT_CLOSE_ON_EXEC)
        self.raw = evconnlistener_new(base.raw, onListenerAccept, nil, flags, -1, fd)
        let arg = Unmanaged.passUnretained(self).toOpaque()
        if let raw = self.raw {
            evconnlistener_set_cb(raw, onListenerAccept, arg)
            evconnlistener_set_error_cb(raw, onListenerError)
        }
        self.backoffTimer = event_new(base.raw, -1, 0, onBackoffEnded, arg)
    }

    deinit { self.close() }

    /// Stops accepting for now (connection limit reached).
    public func pause() {
        self.pausedByOwner = true
        self.applyState()
    }

    /// Accepts again (unless an accept-error backoff is still running).
    public func resume() {
        self.pausedByOwner = false
        self.applyState()
    }

    /// Closes the listening socket; queued connections on it are dropped by the kernel.
    public func close() {
        if let raw = self.raw { evconnlistener_free(raw) }
        if let timer = self.backoffTimer { event_free(timer) }
        self.raw = nil
        self.backoffTimer = nil
    }

    private func applyState() {
        guard let raw = self.raw else { return }
        if self.pausedByOwner || self.backingOff { evconnlistener_disable(raw) } else { evconnlistener_enable(raw) }
    }

    fileprivate func accepted(fd: Int32, address: UnsafeMutablePointer<sockaddr>?, length: Int32) {
        if self.failureLogged {
            self.failureLogged = false
            self.logger?.notice("accepting connections again")
        }
        guard let address else {
            Glibc.close(fd)
            return
        }
        self.acceptor.onAccept(fd: fd, peer: SocketAddress(copying: address, length: socklen_t(length)))
    }

    /// accept() failed with an error libevent does not retry by itself: back off instead of spinning.
    fileprivate func acceptFailed(errno code: Int32) {
        guard let timer = self.backoffTimer else { return }
        if !self.failureLogged {
            self.failureLogged = true
            let exhausted = code == EMFILE || code == ENFILE || code == ENOBUFS || code == ENOMEM
            self.logger?.warning(
                exhausted ? "accept() failed; too many open files or no memory, pausing" : "accept() failed, pausing",
                metadata: ["error": "\(String(cString: strerror(code)))", "pause_ms": "\(Int(Self.acceptBackoff * 1000))"])
        }
        self.backingOff = true
        self.applyState()
        var tv = timeval(tv_sec: 0, tv_usec: Int(Self.acceptBackoff * 1_000_000))
        event_add(timer, &tv)
    }

    fileprivate func backoffEnded() {
        self.backingOff = false
        self.applyState()
    }
}

private let onListenerAccept: evconnlistener_cb = { _, fd, address, length, arg in
    let listener = Unmanaged<Listener>.fromOpaque(arg!).takeUnretainedValue()
    listener.accepted(fd: fd, address: address, length: length)
}

// libevent calls this for accept() errors it does not treat as retriable (EMFILE, ENFILE, ...), with
// the socket error still in errno.
private let onListenerError: evconnlistener_errorcb = { _, arg in
    let code = errno
    Unmanaged<Listener>.fromOpaque(arg!).takeUnretainedValue().acceptFailed(errno: code)
}

private let onBackoffEnded: event_callback_fn = { _, _, arg in
    Unmanaged<Listener>.fromOpaque(arg!).takeUnretainedValue().backoffEnded()
}
