internal import CLibevent
import Glibc

/// One TXT or CNAME question over UDP on the resolver's base (libevent's evdns only asks for A,
/// AAAA and PTR). Non-blocking socket, a read event whose timeout resends with a fresh ID, then gives up.
final class DNSUDPQuery {
    typealias Completion = (Result<[DNSMessage.Record], DNSError>) -> Void
    private let name: String
    private let type: DNSMessage.RecordType
    private let server: SocketAddress
    private var done: Completion?
    private var fd: Int32 = -1
    private var event: OpaquePointer?
    private var id: UInt16 = 0
    private var attemptsLeft: Int
    private var keepAlive: Unmanaged<DNSUDPQuery>?

    init(name: String, type: DNSMessage.RecordType, server: SocketAddress, attempts: Int, done: @escaping Completion) {
        self.name = name
        self.type = type
        self.server = server
        self.attemptsLeft = attempts
        self.done = done
    }

    /// Opens the socket and sends the first attempt; the completion runs later on `base`'s thread.
    func start(base: EventBase, timeout: Double) {
        let fd = socket(
            self.server.family,
            Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return self.finish(.failure(.socket("socket: \(String(cString: strerror(errno)))"))) }
        self.fd = fd
        let connected = self.server.withSockAddr { connect(fd, $0, $1) }
        guard connected == 0 else {
            return self.finish(.failure(.socket("connect \(self.server): \(String(cString: strerror(errno)))")))
        }
        let retained = Unmanaged.passRetained(self)
        self.keepAlive = retained
        self.event = event_new(base.raw, fd, Int16(EV_READ | EV_PERSIST), onQueryEvent, retained.toOpaque())
        guard let event = self.event else { return self.finish(.failure(.socket("event_new failed"))) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - Double(Int(timeout))) * 1e6))
        event_add(event, &tv)
        self.send()
    }

    private func send() {
        self.attemptsLeft -= 1
        self.id = UInt16.random(in: 0...UInt16.max)
        let packet = DNSMessage.query(id: self.id, name: self.name, type: self.type)
        _ = packet.withUnsafeBytes { Glibc.send(self.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    fileprivate func handle(_ what: Int16) {
        if what & Int16(EV_TIMEOUT) != 0 {
            guard self.attemptsLeft > 0 else { return self.finish(.failure(.timeout(self.name))) }
            return self.send()
        }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(self.fd, &buffer, buffer.count, 0)
        guard count > 0 else { return }  // ICMP errors and spurious wake-ups: the timeout retries
        guard let reply = DNSMessage.decode(Array(buffer[0..<count])) else {
            return self.finish(.failure(.malformedReply(self.name)))
        }
        guard reply.id == self.id else { return }  // a late answer to an earlier attempt
        switch reply.rcode {
        case 0 where reply.truncated: self.finish(.failure(.malformedReply(self.name)))
        case 0: self.finish(.success(reply.answers))
        case 3: self.finish(.success([]))  // NXDOMAIN: no records
        default: self.finish(.failure(.serverFailure(self.name, code: Int(reply.rcode))))
        }
    }

    /// Runs the completion once and releases everything.
    private func finish(_ result: Result<[DNSMessage.Record], DNSError>) {
        if let event = self.event { event_free(event) }
        self.event = nil
        if self.fd >= 0 { close(self.fd) }
        self.fd = -1
        let done = self.done
        self.done = nil
        done?(result)
        self.keepAlive?.release()
        self.keepAlive = nil
    }
}

private let onQueryEvent: event_callback_fn = { _, what, arg in
    Unmanaged<DNSUDPQuery>.fromOpaque(arg!).takeUnretainedValue().handle(what)
}
