import Foundation

/// Dashboard sign-ins: `POST /login` trades the admin token for a session cookie with a bounded
/// lifetime, plus a CSRF token that every state-changing request made with the cookie must carry.
/// At most `capacity` sessions exist; signing in beyond that evicts the oldest. Control thread only.
final class SessionStore {
    /// One sign-in.
    struct Session {
        let id: String
        let csrfToken: String
        let expires: Double
        /// Creation order: sessions made in the same instant still have a definite oldest.
        let serial: UInt64
    }

    /// Name of the cookie.
    static let cookieName = "portcullis_session"
    let lifetime: Double
    let capacity: Int
    private var sessions: [String: Session] = [:]
    private var nextSerial: UInt64 = 0

    /// A store whose sessions last `lifetime` seconds, at most `capacity` at a time.
    init(lifetime: Double, capacity: Int = 64) {
        self.lifetime = lifetime
        self.capacity = max(1, capacity)
    }

    /// Starts a session at `now` (seconds since the epoch).
    func create(now: Double) -> Session {
        self.expire(now: now)
        while self.sessions.count >= self.capacity, let oldest = self.sessions.values.min(by: { $0.serial < $1.serial }) {
            self.sessions[oldest.id] = nil
        }
        self.nextSerial += 1
        let session = Session(
            id: RandomToken.hex(bytes: 32), csrfToken: RandomToken.hex(bytes: 32), expires: now + self.lifetime,
            serial: self.nextSerial)
        self.sessions[session.id] = session
        return session
    }

    /// The live session named by the `Cookie` header, if any.
    func session(cookieHeader: String?, now: Double) -> Session? {
        guard let cookieHeader, let id = Self.cookieValue(cookieHeader) else { return nil }
        self.expire(now: now)
        // Look up by constant-time comparison so the time does not reveal a prefix of a live id.
        return self.sessions.values.first { ConstantTime.equals($0.id, id) }
    }

    /// Ends the session `id`.
    func remove(_ id: String) { self.sessions[id] = nil }

    /// Number of live sessions (tests).
    var count: Int { self.sessions.count }

    private func expire(now: Double) {
        self.sessions = self.sessions.filter { $0.value.expires > now }
    }

    /// The value of our cookie in a `Cookie:` header (`a=1; portcullis_session=…`).
    static func cookieValue(_ header: String) -> String? {
        for pair in header.split(separator: ";") {
            let trimmed = pair.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix(self.cookieName + "=") { return String(trimmed.dropFirst(self.cookieName.count + 1)) }
        }
        return nil
    }

    /// The `Set-Cookie` value for `session` (`Secure` when served over TLS).
    func setCookie(_ session: Session, secure: Bool, now: Double) -> String {
        let maxAge = max(0, Int((session.expires - now).rounded(.down)))
        return "\(Self.cookieName)=\(session.id); Max-Age=\(maxAge); Path=/; HttpOnly; SameSite=Strict"
            + (secure ? "; Secure" : "")
    }

    /// The `Set-Cookie` value that deletes the cookie.
    static func clearCookie(secure: Bool) -> String {
        "\(self.cookieName)=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }
}
