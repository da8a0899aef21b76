import Foundation
import Testing

@testable import PortcullisACME

/// The order state machine, event by event, with Pebble-style shuffled authorizations and challenges.
@Suite struct OrderStateMachineTests {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    func machine(solvers: [String] = ["http-01"], domains: [String] = ["a.test", "b.test"]) -> OrderStateMachine {
        OrderStateMachine(state: OrderState(name: domains[0], domains: domains, solvers: solvers), jitter: { 0.5 })
    }

    func order(_ status: String, authorizations: [String] = ["https://ca/authz/b", "https://ca/authz/a"], expires: String? = nil) -> ACMEOrder {
        ACMEOrder(
            status: status, expires: expires, identifiers: [ACMEIdentifier(dns: "b.test"), ACMEIdentifier(dns: "a.test")],
            authorizations: authorizations, finalize: "https://ca/finalize/1",
            certificate: status == "valid" ? "https://ca/cert/1" : nil, error: nil)
    }

    func authorization(_ name: String, _ status: String, wildcard: Bool = false, error: ACMEProblem? = nil) -> ACMEAuthorization {
        ACMEAuthorization(
            identifier: ACMEIdentifier(dns: name), status: status, expires: nil,
            challenges: [
                ACMEChallenge(type: "tls-alpn-01", url: "https://ca/chal/\(name)/alpn", status: "pending", token: "t1", error: nil),
                ACMEChallenge(type: "http-01", url: "https://ca/chal/\(name)/http", status: status == "invalid" ? "invalid" : "pending", token: "t2", error: error),
                ACMEChallenge(type: "dns-01", url: "https://ca/chal/\(name)/dns", status: "pending", token: "t3", error: nil),
            ],
            wildcard: wildcard)
    }

    @Test func happyPathFromNewOrderToInstall() {
        var m = self.machine()
        #expect(m.handle(.begin, now: self.now) == [.createOrder(domains: ["a.test", "b.test"])])
        #expect(m.state.phase == .ordering)
        let fetches = m.handle(.orderCreated(url: "https://ca/order/1", order: self.order("pending")), now: self.now)
        #expect(fetches == [.fetchAuthorization(url: "https://ca/authz/b", after: 0), .fetchAuthorization(url: "https://ca/authz/a", after: 0)])

        // Challenges are chosen by type, not position (http-01 is second in the list).
        let solveA = m.handle(.authorizationUpdated(url: "https://ca/authz/a", self.authorization("a.test", "pending"), retryAfter: nil), now: self.now)
        guard case .solve(let authz, let identifier, let challenge) = solveA.first else { Issue.record("no solve: \(solveA)"); return }
        #expect(authz == "https://ca/authz/a" && identifier == "a.test" && challenge.type == "http-01")
        #expect(solveA.last == .fetchAuthorization(url: "https://ca/authz/a", after: 0.05))
        // Still pending: poll again, later, without answering twice.
        let again = m.handle(.authorizationUpdated(url: "https://ca/authz/a", self.authorization("a.test", "pending"), retryAfter: nil), now: self.now)
        #expect(again == [.fetchAuthorization(url: "https://ca/authz/a", after: 0.075)])
        // Retry-After wins.
        let told = m.handle(.authorizationUpdated(url: "https://ca/authz/a", self.authorization("a.test", "pending"), retryAfter: 2), now: self.now)
        #expect(told == [.fetchAuthorization(url: "https://ca/authz/a", after: 2)])

        #expect(m.handle(.authorizationUpdated(url: "https://ca/authz/a", self.authorization("a.test", "valid"), retryAfter: nil), now: self.now) == [])
        let lastValid = m.handle(.authorizationUpdated(url: "https://ca/authz/b", self.authorization("b.test", "valid"), retryAfter: nil), now: self.now)
        #expect(lastValid == [.fetchOrder(url: "https://ca/order/1", after: 0)])
        #expect(m.handle(.orderUpdated(self.order("ready"), retryAfter: nil), now: self.now) == [.finalize(url: "https://ca/finalize/1")])
        let processing = m.handle(.finalized(keyPEM: "KEY", order: self.order("processing"), retryAfter: nil), now: self.now)
        #expect(processing == [.fetchOrder(url: "https://ca/order/1", after: 0.05)])
        #expect(m.handle(.orderUpdated(self.order("valid"), retryAfter: nil), now: self.now) == [.download(url: "https://ca/cert/1")])
        #expect(m.handle(.certificateDownloaded(chainPEM: "CHAIN"), now: self.now) == [.cleanUp, .install(chainPEM: "CHAIN", keyPEM: "KEY")])
        #expect(m.state.phase == .valid && m.state.keyPEM == nil && m.state.failures == 0)
    }

    @Test func wildcardNeedsDNS01() {
        var m = self.machine(domains: ["*.example.com"])
        _ = m.handle(.begin, now: self.now)
        _ = m.handle(.orderCreated(url: "https://ca/order/1", order: self.order("pending", authorizations: ["https://ca/authz/w"])), now: self.now)
        let failed = m.handle(.authorizationUpdated(url: "https://ca/authz/w", self.authorization("example.com", "pending", wildcard: true), retryAfter: nil), now: self.now)
        #expect(failed == [.cleanUp, .retry(at: self.now.addingTimeInterval(60))])
        #expect(m.state.phase == .failed && m.state.problem?.contains("*.example.com: no usable challenge") == true)

        var dns = self.machine(solvers: ["http-01", "dns-01"], domains: ["*.example.com"])
        _ = dns.handle(.begin, now: self.now)
        _ = dns.handle(.orderCreated(url: "https://ca/order/1", order: self.order("pending", authorizations: ["https://ca/authz/w"])), now: self.now)
        let solve = dns.handle(.authorizationUpdated(url: "https://ca/authz/w", self.authorization("example.com", "pending", wildcard: true), retryAfter: nil), now: self.now)
        guard case .solve(_, let identifier, let challenge) = solve.first else { Issue.record("no solve"); return }
        #expect(identifier == "*.example.com" && challenge.type == "dns-01")
    }

    @Test func invalidAuthorizationFailsWithTheCAProblemAndBacksOff() {
        var m = self.machine()
        _ = m.handle(.begin, now: self.now)
        _ = m.handle(.orderCreated(url: "https://ca/order/1", order: self.order("pending")), now: self.now)
        _ = m.handle(.authorizationUpdated(url: "https://ca/authz/a", self.authorization("a.test", "pending"), retryAfter: nil), now: self.now)
        let problem = ACMEProblem(type: "urn:ietf:params:acme:error:unauthorized", detail: "wrong key authorization")
        let actions = m.handle(.authorizationUpdated(url: "https://ca/authz/a", self.authorization("a.test", "invalid", error: problem), retryAfter: nil), now: self.now)
        #expect(actions == [.cleanUp, .retry(at: self.now.addingTimeInterval(60))])
        #expect(m.state.problem == "validating a.test with http-01: urn:ietf:params:acme:error:unauthorized :: wrong key authorization")
        #expect(m.state.nextAttempt == self.now.addingTimeInterval(60) && m.state.orderURL == nil)
        // The next attempt starts a fresh order but remembers the failure count for the backoff.
        #expect(m.handle(.begin, now: self.now) == [.createOrder(domains: ["a.test", "b.test"])])
        #expect(m.handle(.failed("again", transient: false), now: self.now) == [.cleanUp, .retry(at: self.now.addingTimeInterval(120))])
        #expect(m.state.failures == 2)
    }

    @Test func expiredOrderOrAuthorizationRestartsTheOrder() {
        var m = self.machine()
        _ = m.handle(.begin, now: self.now)
        let stale = self.order("pending", expires: "2023-11-14T22:00:00Z")  // before `now`
        #expect(m.handle(.orderCreated(url: "https://ca/order/1", order: stale), now: self.now) == [.cleanUp, .createOrder(domains: ["a.test", "b.test"])])
        _ = m.handle(.orderCreated(url: "https://ca/order/2", order: self.order("pending")), now: self.now)
        let expired = m.handle(.authorizationUpdated(url: "https://ca/authz/a", self.authorization("a.test", "expired"), retryAfter: nil), now: self.now)
        #expect(expired == [.cleanUp, .createOrder(domains: ["a.test", "b.test"])])
        #expect(m.state.orderURL == nil && m.state.authorizations.isEmpty)
    }

    @Test func resumeRefetchesTheSavedOrder() throws {
        var m = self.machine()
        _ = m.handle(.begin, now: self.now)
        _ = m.handle(.orderCreated(url: "https://ca/order/9", order: self.order("pending")), now: self.now)
        // Persist and reload, as a restart would.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let saved = try decoder.decode(OrderState.self, from: try encoder.encode(m.state))
        #expect(saved == m.state)
        var resumed = OrderStateMachine(state: saved)
        #expect(resumed.handle(.resume, now: self.now) == [.fetchOrder(url: "https://ca/order/9", after: 0)])
        var idle = self.machine()
        #expect(idle.handle(.resume, now: self.now) == [.createOrder(domains: ["a.test", "b.test"])])
    }

    @Test func validOrderWithoutTheCSRKeyOrdersAgain() {
        var m = self.machine()
        _ = m.handle(.begin, now: self.now)
        _ = m.handle(.orderCreated(url: "https://ca/order/1", order: self.order("processing")), now: self.now)
        #expect(m.handle(.orderUpdated(self.order("valid"), retryAfter: nil), now: self.now) == [.cleanUp, .createOrder(domains: ["a.test", "b.test"])])
    }

    @Test func transportFailuresRetrySooner() {
        var m = self.machine()
        _ = m.handle(.begin, now: self.now)
        #expect(m.handle(.failed("connection refused", transient: true), now: self.now) == [.cleanUp, .retry(at: self.now.addingTimeInterval(5))])
    }
}
