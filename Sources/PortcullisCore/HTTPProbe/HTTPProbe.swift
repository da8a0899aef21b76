internal import CLibevent
import Glibc

/// One non-blocking `GET` on a libevent base (the control base: health checks never run on workers).
/// It reads only the status line, then closes: a health check needs the code, not the body. The whole
/// exchange is bounded by `timeout`, and the probe holds itself alive until it reports once.
public final class HTTPProbe {
    /// What a probe found: the response's status code, or why there was none.
    public enum Outcome: Sendable, Equatable {
        case status(Int)
        case failed(String)
    }

    /// A status line longer than this is not HTTP: the probe fails instead of buffering more.
    static let maxStatusLine = 1024

    private var bev: OpaquePointer?
    private let request: [UInt8]
    private var completion: ((Outcome) -> Void)?

    private init(request: [UInt8], completion: @escaping (Outcome) -> Void) {
        self.request = request
        self.completion = completion
    }

    /// Starts `GET path` with `Host: host` to `address`; `completion` runs once, on `base`'s thread.
    public static func start(
        base: EventBase, address: SocketAddress, host: String, path: String, timeout: Double,
        completion: @escaping (Outcome) -> Void
    ) {
        let text = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUser-Agent: portcullis-health-check\r\nConnection: close\r\n\r\n"
        let probe = HTTPProbe(request: Array(text.utf8), completion: completion)
        probe.connect(base: base, address: address, timeout: timeout)
    }

    private func connect(base: EventBase, address: SocketAddress, timeout: Double) {
        guard let bev = bufferevent_socket_new(base.raw, -1, Int32(BEV_OPT_CLOSE_ON_FREE.rawValue | BEV_OPT_DEFER_CALLBACKS.rawValue)) else {
            self.completion?(.failed("out of memory"))
            return
        }
        self.bev = bev
        let argument = Unmanaged.passRetained(self).toOpaque()
        bufferevent_setcb(bev, onProbeReadable, nil, onProbeEvent, argument)
        var limit = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1_000_000))
        bufferevent_set_timeouts(bev, &limit, &limit)
        bufferevent_enable(bev, Int16(EV_READ | EV_WRITE))
        self.request.withUnsafeBytes { _ = bufferevent_write(bev, $0.baseAddress, $0.count) }
        // A synchronous failure reaches `onEvent` with BEV_EVENT_ERROR, like an asynchronous one.
        _ = address.withSockAddr { bufferevent_socket_connect(bev, $0, Int32($1)) }
    }

    /// Reads the status line once it is complete.
    fileprivate func onReadable() {
        guard let bev = self.bev, let input = bufferevent_get_input(bev) else { return }
        var length = 0
        guard let line = evbuffer_readln(input, &length, EVBUFFER_EOL_CRLF) else {
            if evbuffer_get_length(input) > Self.maxStatusLine { self.finish(.failed("status line too long")) }
            return
        }
        defer { free(line) }
        let text = String(decoding: UnsafeRawBufferPointer(start: line, count: length), as: UTF8.self)
        self.finish(Self.parseStatusLine(text))
    }

    /// `HTTP/1.x NNN reason` → the code.
    static func parseStatusLine(_ line: String) -> Outcome {
        let parts = line.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let code = Int(parts[1]),
            (100...599).contains(code)
        else { return .failed("invalid status line") }
        return .status(code)
    }

    /// Connection events: a timeout, an error or EOF before a status line ends the probe.
    fileprivate func onEvent(_ what: Int16) {
        if what & Int16(BEV_EVENT_CONNECTED) != 0 { return }
        if what & Int16(BEV_EVENT_TIMEOUT) != 0 {
            self.finish(.failed("timed out"))
        } else if what & Int16(BEV_EVENT_EOF) != 0 {
            self.finish(.failed("closed before a status line"))
        } else {
            let code = errno
            self.finish(.failed(code != 0 ? String(cString: strerror(code)) : "connection failed"))
        }
    }

    /// Reports once, frees the socket and drops the self-reference taken in `connect`.
    private func finish(_ outcome: Outcome) {
        guard let completion = self.completion, let bev = self.bev else { return }
        self.completion = nil
        self.bev = nil
        bufferevent_free(bev)
        completion(outcome)
        Unmanaged.passUnretained(self).release()
    }
}

private let onProbeReadable: @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?) -> Void = { _, argument in
    guard let argument else { return }
    Unmanaged<HTTPProbe>.fromOpaque(argument).takeUnretainedValue().onReadable()
}

private let onProbeEvent: @convention(c) (OpaquePointer?, Int16, UnsafeMutableRawPointer?) -> Void = { _, what, argument in
    guard let argument else { return }
    Unmanaged<HTTPProbe>.fromOpaque(argument).takeUnretainedValue().onEvent(what)
}
