internal import CLibevent
import Glibc

/// Receives accepted sockets on the worker thread that owns the listener.
public protocol ConnectionAcceptor: AnyObject {
    /// Takes ownership of `fd`.
    func onAccept(fd: Int32, peer: SocketAddress)
}

/// One `evconnlistener` on one worker's base, over an already-listening SO_REUSEPORT socket.
public final class Listener {
    private var raw: OpaquePointer?
    private let acceptor: ConnectionAcceptor

    /// Starts accepting on `base`; `acceptor` is called on the base's thread. The listener owns `fd`.
    public init(base: EventBase, fd: Int32, acceptor: ConnectionAcceptor) {
        self.acceptor = acceptor
        // CLOSE_ON_EXEC: accepted sockets (accept4 with SOCK_CLOEXEC) must not leak into the processes we
        // spawn (expiry_command, DNS-01 hooks); the listening socket itself is opened with SOCK_CLOEXEC.
        let flags = UInt32(LEV_OPT_CLOSE_ON_FREE) | UInt32(LEV_OPT_CLOSE_ON_EXEC)
        self.raw = evconnlistener_new(
            base.raw, onListenerAccept, nil, flags, -1, fd)
        if let raw = self.raw {
            evconnlistener_set_cb(raw, onListenerAccept, Unmanaged.passUnretained(self).toOpaque())
            evconnlistener_set_error_cb(raw, onListenerError)
        }
    }

    deinit { self.close() }

    /// Stops accepting for now (connection limit reached).
    public func pause() { if let raw = self.raw { evconnlistener_disable(raw) } }

    /// Accepts again.
    public func resume() { if let raw = self.raw { evconnlistener_enable(raw) } }

    /// Closes the listening socket; queued connections on it are dropped by the kernel.
    public func close() {
        if let raw = self.raw { evconnlistener_free(raw) }
        self.raw = nil
    }

    fileprivate func accepted(fd: Int32, address: UnsafeMutablePointer<sockaddr>?, length: Int32) {
        guard let address else {
            Glibc.close(fd)
            return
        }
        self.acceptor.onAccept(fd: fd, peer: SocketAddress(copying: address, length: socklen_t(length)))
    }
}

private let onListenerAccept: evconnlistener_cb = { _, fd, address, length, arg in
    let listener = Unmanaged<Listener>.fromOpaque(arg!).takeUnretainedValue()
    listener.accepted(fd: fd, address: address, length: length)
}

// accept() errors such as EMFILE are transient: libevent retries on the next readiness event.
private let onListenerError: evconnlistener_errorcb = { _, _ in }
