import Foundation

/// What happened to an order: the driver's report of an ACME exchange or a timer.
public enum OrderEvent: Sendable {
    /// Start a new order (first issuance, renewal, or a retry after backoff).
    case begin
    /// Pick up an order saved by an earlier run.
    case resume
    /// `newOrder` answered.
    case orderCreated(url: String, order: ACMEOrder)
    /// The order was fetched (or finalize answered). `retryAfter` in seconds, when the CA sent it.
    case orderUpdated(ACMEOrder, retryAfter: Double?)
    /// The CSR went out with this key (PEM); the order as finalize returned it.
    case finalized(keyPEM: String, order: ACMEOrder, retryAfter: Double?)
    /// An authorization was fetched.
    case authorizationUpdated(url: String, ACMEAuthorization, retryAfter: Double?)
    /// The chain was downloaded.
    case certificateDownloaded(chainPEM: String)
    /// A step failed; `transient` when the CA could not be reached at all.
    case failed(String, transient: Bool)
}

/// What the driver must do next.
public enum OrderAction: Sendable, Equatable {
    case createOrder(domains: [String])
    case fetchOrder(url: String, after: Double)
    case fetchAuthorization(url: String, after: Double)
    /// Publish the key authorization (HTTP-01 token or DNS-01 TXT record) and answer the challenge.
    case solve(authorization: String, identifier: String, challenge: ACMEChallenge)
    /// Make a fresh key and CSR and send it.
    case finalize(url: String)
    case download(url: String)
    /// Save chain + `keyPEM` to the store and hot-swap it.
    case install(chainPEM: String, keyPEM: String)
    /// Withdraw every published token and run DNS cleanup.
    case cleanUp
    /// Nothing more now; begin again at this time.
    case retry(at: Date)
}

/// The ACME order as a pure state machine: events and `now` in, actions out. It never
/// performs I/O, so every transition is unit-testable and the state can be persisted between steps.
public struct OrderStateMachine: Sendable {
    /// The state (persist it after every `handle`).
    public internal(set) var state: OrderState
    /// Jitter source for backoff (0…1); injected so tests are deterministic.
    private let jitter: @Sendable () -> Double

    /// A machine over `state`.
    public init(state: OrderState, jitter: @escaping @Sendable () -> Double = { Double.random(in: 0...1) }) {
        self.state = state
        self.jitter = jitter
    }

    /// Applies `event`; returns the actions to run, in order.
    public mutating func handle(_ event: OrderEvent, now: Date) -> [OrderAction] {
        switch event {
        case .begin:
            return self.restart(now: now)
        case .resume:
            guard self.state.inFlight, let url = self.state.orderURL else { return self.restart(now: now) }
            return [.fetchOrder(url: url, after: 0)]
        case .orderCreated(let url, let order):
            self.state.orderURL = url
            return self.orderUpdated(order, retryAfter: nil, now: now)
        case .orderUpdated(let order, let retryAfter):
            return self.orderUpdated(order, retryAfter: retryAfter, now: now)
        case .finalized(let keyPEM, let order, let retryAfter):
            self.state.keyPEM = keyPEM
            return self.orderUpdated(order, retryAfter: retryAfter, now: now)
        case .authorizationUpdated(let url, let authorization, let retryAfter):
            return self.authorizationUpdated(url: url, authorization, retryAfter: retryAfter, now: now)
        case .certificateDownloaded(let chain):
            guard let key = self.state.keyPEM else { return self.fail("downloaded a certificate without its key", transient: false, now: now) }
            self.state.phase = .valid
            (self.state.failures, self.state.problem, self.state.nextAttempt, self.state.keyPEM) = (0, nil, nil, nil)
            return [.cleanUp, .install(chainPEM: chain, keyPEM: key)]
        case .failed(let message, let transient):
            return self.fail(message, transient: transient, now: now)
        }
    }

    /// Forgets any order in flight and asks for a new one.
    private mutating func restart(now: Date) -> [OrderAction] {
        let kept = (self.state.failures, self.state.problem)
        self.state = OrderState(name: self.state.name, domains: self.state.domains, solvers: self.state.solvers)
        (self.state.failures, self.state.problem) = kept
        self.state.phase = .ordering
        self.state.started = now
        return [.createOrder(domains: self.state.domains)]
    }

    /// Records the failure, schedules the next attempt with backoff and cleans up.
    private mutating func fail(_ message: String, transient: Bool, now: Date) -> [OrderAction] {
        self.state.failures += 1
        let delay = RenewalPolicy.backoff(failures: self.state.failures, transient: transient, jitter: self.jitter())
        let next = now.addingTimeInterval(delay)
        (self.state.phase, self.state.problem, self.state.nextAttempt) = (.failed, message, next)
        (self.state.orderURL, self.state.authorizations, self.state.keyPEM) = (nil, [:], nil)
        return [.cleanUp, .retry(at: next)]
    }

    /// Order status transitions (RFC 8555 §7.1.6).
    private mutating func orderUpdated(_ order: ACMEOrder, retryAfter: Double?, now: Date) -> [OrderAction] {
        guard let url = self.state.orderURL else { return self.fail("order update without an order", transient: false, now: now) }
        self.state.finalizeURL = order.finalize
        if order.status == "pending" || order.status == "ready", let expires = order.expires.flatMap(Self.date), expires <= now {
            return [.cleanUp] + self.restart(now: now)
        }
        switch order.status {
        case "pending":
            self.state.phase = .authorizing
            let unknown = order.authorizations.filter { self.state.authorizations[$0] == nil }
            for authorization in unknown { self.state.authorizations[authorization] = .init(identifier: "") }
            if unknown.isEmpty { return [self.pollOrder(url, retryAfter: retryAfter)] }
            return unknown.map { .fetchAuthorization(url: $0, after: 0) }
        case "ready":
            self.state.phase = .finalizing
            return [.finalize(url: order.finalize)]
        case "processing":
            self.state.phase = .finalizing
            return [self.pollOrder(url, retryAfter: retryAfter)]
        case "valid":
            guard let certificate = order.certificate else { return self.fail("valid order without a certificate URL", transient: false, now: now) }
            guard self.state.keyPEM != nil else { return [.cleanUp] + self.restart(now: now) }  // key lost: order again
            (self.state.phase, self.state.certificateURL) = (.downloading, certificate)
            return [.download(url: certificate)]
        default:
            let detail = order.error.map { "\($0)" } ?? "the CA marked the order \(order.status)"
            return self.fail("order \(order.status): \(detail)", transient: false, now: now)
        }
    }

    /// A poll of the order with a growing interval.
    private mutating func pollOrder(_ url: String, retryAfter: Double?) -> OrderAction {
        let delay = RenewalPolicy.pollDelay(previous: self.state.orderPollDelay, retryAfter: retryAfter)
        self.state.orderPollDelay = delay
        return .fetchOrder(url: url, after: delay)
    }
}
