internal import CLibevent
import Glibc
import PortcullisCore

/// One TCP connection to an upstream server, on a raw non-blocking socket rather than a
/// bufferevent: writes go out directly when the socket accepts them (no EV_WRITE churn, which costs
/// two epoll_ctl calls per write), and reads take up to 64 KiB at a time (libevent 2.1's
/// bufferevents read 4 KiB). While a request uses it, its owner is the client connection; while
/// idle it sits in the worker's pool. The events' cbarg is unretained: the owner holds the only
/// reference and calls `close()` before letting go.
final class UpstreamConnection {
    static let readSize = 64 * 1024

    let address: SocketAddress
    let input: OpaquePointer
    let output: OpaquePointer
    private var fd: Int32 = -1
    private var readEvent: OpaquePointer?
    private var writeEvent: OpaquePointer?
    private var readEnabled = false
    private var writeArmed = false
    private var readTimeout: Double = 0
    private var writeTimeout: Double = 0
    /// Tell the client once output drains to this many bytes (backpressure); nil = no interest.
    private var drainNotifyLevel: Int?
    /// The client connection using it, or nil while pooled.
    unowned(unsafe) var client: ClientConnection?
    /// The pool holding it while idle.
    unowned(unsafe) var pool: UpstreamPool?
    /// Monotonic time before which the pool does not hand it out (quarantine after a bodiless response).
    var reusableAfter: Double = 0
    /// The pool that counts it as open (busy or idle), told once when it closes.
    unowned(unsafe) var counter: UpstreamPool?
    private(set) var isConnected = false
    /// errno of a connect() that failed synchronously; 0 otherwise.
    private var immediateConnectError: Int32 = 0

    /// Starts a non-blocking connect; returns nil if no socket could be created.
    init?(address: SocketAddress, base: EventBase, connectTimeout: Double) {
        self.address = address
        self.input = evbuffer_new()
        self.output = evbuffer_new()
        let fd = socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return nil }
        self.fd = fd
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        let arg = Unmanaged.passUnretained(self).toOpaque()
        self.readEvent = event_new(base.raw, fd, Int16(EV_READ | EV_PERSIST), onUpstreamSocketReadable, arg)
        self.writeEvent = event_new(base.raw, fd, Int16(EV_WRITE | EV_PERSIST), onUpstreamSocketWritable, arg)
        self.writeTimeout = connectTimeout
        let status = address.withSockAddr { Glibc.connect(fd, $0, $1) }
        if status == 0 || errno == EINPROGRESS {
            self.armWrite()
        } else if let writeEvent = self.writeEvent {
            // Refused at once (usual on loopback): SO_ERROR will read 0 afterwards, so remember the
            // failure and report it from the loop, like an asynchronous one.
            self.immediateConnectError = errno
            event_active(writeEvent, EV_WRITE, 0)
        }
    }

    deinit {
        self.close()
        evbuffer_free(self.input)
        evbuffer_free(self.output)
    }

    /// Closes the socket; no callback fires afterwards. The buffers stay readable until deinit.
    func close() {
        if let event = self.readEvent { event_free(event) }
        if let event = self.writeEvent { event_free(event) }
        self.readEvent = nil
        self.writeEvent = nil
        if self.fd >= 0 {
            Glibc.close(self.fd)
            self.counter?.connectionClosed(self.address)
        }
        self.counter = nil
        self.fd = -1
        self.client = nil
        self.pool = nil
    }

    /// Sets the read and write timeouts (seconds; 0 = none) for the armed events.
    func setTimeouts(read: Double, write: Double) {
        self.readTimeout = read
        self.writeTimeout = write
        if self.readEnabled { self.addEvent(self.readEvent, timeout: read) }
        if self.writeArmed { self.addEvent(self.writeEvent, timeout: write) }
    }

    func enableRead() {
        guard !self.readEnabled, self.isConnected else { return }
        self.readEnabled = true
        self.addEvent(self.readEvent, timeout: self.readTimeout)
    }

    func disableRead() {
        guard self.readEnabled, let event = self.readEvent else { return }
        self.readEnabled = false
        event_del(event)
    }

    /// Whether the upstream sent anything (bytes, EOF or an error) that nobody asked for: buffered input,
    /// or data waiting in the socket (peeked, never consumed). Such a connection must not carry a request.
    func hasUnexpectedInput() -> Bool {
        guard self.fd >= 0 else { return true }
        if evbuffer_get_length(self.input) > 0 { return true }
        var byte: UInt8 = 0
        let count = recv(self.fd, &byte, 1, Int32(MSG_PEEK) | Int32(MSG_DONTWAIT))
        if count < 0 { return errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR }
        return true  // a byte (stray data) or 0 (EOF)
    }

    /// Asks for `onUpstreamWritable` once the output has drained to `level` bytes.
    func notifyWhenDrained(to level: Int?) { self.drainNotifyLevel = level }

    /// Writes as much of the output as the socket takes now; arms the write event for the rest.
    func flush() {
        guard self.isConnected, self.fd >= 0 else { return }
        while evbuffer_get_length(self.output) > 0 {
            let written = evbuffer_write_atmost(self.output, self.fd, -1)
            if written > 0 { continue }
            if written < 0, errno != EAGAIN, errno != EINTR, let event = self.writeEvent {
                // Report the failure from the loop, never from inside the caller's code.
                event_active(event, EV_WRITE, 0)
                return
            }
            break
        }
        if evbuffer_get_length(self.output) > 0 { self.armWrite() } else { self.disarmWrite() }
    }

    private func armWrite() {
        guard !self.writeArmed else { return }
        self.writeArmed = true
        self.addEvent(self.writeEvent, timeout: self.writeTimeout)
    }

    private func disarmWrite() {
        guard self.writeArmed, let event = self.writeEvent else { return }
        self.writeArmed = false
        event_del(event)
    }

    private func addEvent(_ event: OpaquePointer?, timeout: Double) {
        guard let event else { return }
        if timeout > 0 {
            var tv = timeval(seconds: timeout)
            event_add(event, &tv)
        } else {
            event_add(event, nil)
        }
    }

    // MARK: Events

    fileprivate func onReadable(_ what: Int16) {
        if Int32(what) & EV_TIMEOUT != 0 {
            self.report(.timeout)
            return
        }
        var vector = iovec()
        guard evbuffer_reserve_space(self.input, Self.readSize, &vector, 1) > 0 else { return }
        let count = recv(self.fd, vector.iov_base, min(vector.iov_len, Self.readSize), 0)
        if count > 0 {
            vector.iov_len = count
            evbuffer_commit_space(self.input, &vector, 1)
            if let client = self.client { client.onUpstreamReadable(self) } else { UpstreamPool.onIdleActivity(self) }
        } else if count == 0 {
            self.report(.eof)
        } else if errno != EAGAIN, errno != EINTR {
            self.report(.error)
        }
    }

    fileprivate func onWritable(_ what: Int16) {
        if Int32(what) & EV_TIMEOUT != 0 {
            self.report(.timeout)
            return
        }
        if !self.isConnected {
            self.finishConnect()
            return
        }
        let written = evbuffer_write_atmost(self.output, self.fd, -1)
        if written < 0, errno != EAGAIN, errno != EINTR {
            self.report(.error)
            return
        }
        if evbuffer_get_length(self.output) == 0 { self.disarmWrite() }
        self.notifyIfDrained()
    }

    /// Calls the client back if it waits for the output to drain; only from event callbacks.
    private func notifyIfDrained() {
        if let level = self.drainNotifyLevel, evbuffer_get_length(self.output) <= level {
            self.drainNotifyLevel = nil
            self.client?.onUpstreamWritable(self)
        }
    }

    private func finishConnect() {
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        let status = getsockopt(self.fd, SOL_SOCKET, SO_ERROR, &error, &length)
        guard self.immediateConnectError == 0, status == 0, error == 0, self.fd >= 0 else {
            self.report(.error)
            return
        }
        self.isConnected = true
        self.disarmWrite()
        self.enableRead()
        self.client?.onUpstreamConnected(self)
        self.flush()
        self.notifyIfDrained()
    }

    private func report(_ failure: UpstreamFailure) {
        if let client = self.client { client.onUpstreamClosed(self, failure) } else { UpstreamPool.onIdleActivity(self) }
    }
}

/// How an upstream connection ended.
enum UpstreamFailure { case eof, error, timeout }

private let onUpstreamSocketReadable: event_callback_fn = { _, what, arg in
    let upstream = Unmanaged<UpstreamConnection>.fromOpaque(arg!).takeUnretainedValue()
    withExtendedLifetime(upstream) { upstream.onReadable(what) }
}

private let onUpstreamSocketWritable: event_callback_fn = { _, what, arg in
    let upstream = Unmanaged<UpstreamConnection>.fromOpaque(arg!).takeUnretainedValue()
    withExtendedLifetime(upstream) { upstream.onWritable(what) }
}
