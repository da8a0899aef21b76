internal import COpenSSL
internal import CShims
import PortcullisCore
import Synchronization

/// Session-ticket keys shared by every listener and worker of the process, rotated on a schedule
/// (default 12 h). New tickets use the newest key; tickets under the previous key still decrypt (and
/// are renewed), older ones fall back to a full handshake. Installed on each front context through
/// `SSL_CTX_set_tlsext_ticket_key_evp_cb`, whose callback has no user-data argument, hence `shared`
/// (docs/REFERENCE.md, session tickets).
public final class TicketKeyRing: Sendable {
    /// One key: a 16-byte name sent in the ticket, an AES-256 key and an HMAC-SHA256 key.
    struct Key: Sendable {
        var name: [UInt8]
        var aesKey: [UInt8]
        var hmacKey: [UInt8]
        var created: Double
    }

    /// The ring every front context uses.
    public static let shared = TicketKeyRing()

    private struct State {
        var keys: [Key] = []  // newest first; at most 2
        var rotationInterval: Double = 12 * 3600
    }

    private let state = Mutex(State())
    private let now: @Sendable () -> Double

    /// A ring whose clock is `now` (monotonic seconds).
    init(now: @escaping @Sendable () -> Double = { Clock.monotonic() }) {
        self.now = now
    }

    /// Sets how often a new key is made (seconds; the previous key keeps decrypting for one more period).
    public func setRotationInterval(_ seconds: Double) {
        self.state.withLock { $0.rotationInterval = max(1, seconds) }
    }

    /// The key for new tickets, rotating first when the newest is older than the interval.
    func currentKey() -> Key? {
        let time = self.now()
        return self.state.withLock { state -> Key? in
            if let newest = state.keys.first, time - newest.created < state.rotationInterval { return newest }
            guard let key = Self.makeKey(created: time) else { return state.keys.first }
            state.keys.insert(key, at: 0)
            if state.keys.count > 2 { state.keys.removeLast(state.keys.count - 2) }
            return key
        }
    }

    /// The key named `name` and whether it is the newest; nil when it was rotated out (or never existed).
    func key(named name: UnsafeRawBufferPointer) -> (key: Key, isCurrent: Bool)? {
        _ = self.currentKey()  // rotate on schedule even if no ticket was issued lately
        return self.state.withLock { state in
            guard let index = state.keys.firstIndex(where: { $0.name.elementsEqual(name) }) else { return nil }
            return (state.keys[index], index == 0)
        }
    }

    /// 80 random bytes split into name, AES key and HMAC key.
    private static func makeKey(created: Double) -> Key? {
        var bytes = [UInt8](repeating: 0, count: 80)
        guard RAND_bytes(&bytes, 80) == 1 else { return nil }
        return Key(
            name: Array(bytes[0..<16]), aesKey: Array(bytes[16..<48]), hmacKey: Array(bytes[48..<80]), created: created)
    }

    /// The callback's work: 1 = ticket sealed/opened with the current key, 2 = opened with the
    /// previous key (OpenSSL then issues a fresh ticket), 0 = unknown key (full handshake), -1 = error.
    func onTicketKey(
        name: UnsafeMutablePointer<UInt8>, iv: UnsafeMutablePointer<UInt8>,
        cipher: UnsafeMutableRawPointer, mac: UnsafeMutableRawPointer, encrypt: Bool
    ) -> Int32 {
        if encrypt {
            guard let key = self.currentKey(), RAND_bytes(iv, 16) == 1 else { return -1 }
            name.update(from: key.name, count: 16)
            return pc_ticket_init_contexts(cipher, mac, key.aesKey, key.hmacKey, iv, 1) == 1 ? 1 : -1
        }
        guard let (key, isCurrent) = self.key(named: UnsafeRawBufferPointer(start: name, count: 16)) else { return 0 }
        guard pc_ticket_init_contexts(cipher, mac, key.aesKey, key.hmacKey, iv, 0) == 1 else { return -1 }
        return isCurrent ? 1 : 2
    }
}

/// `SSL_CTX_set_tlsext_ticket_key_evp_cb` trampoline onto `TicketKeyRing.shared`.
let ticketKeyCallback: pc_ticket_key_cb = { _, name, iv, cipher, mac, enc in
    guard let name, let iv, let cipher, let mac else { return -1 }
    return TicketKeyRing.shared.onTicketKey(name: name, iv: iv, cipher: cipher, mac: mac, encrypt: enc == 1)
}
