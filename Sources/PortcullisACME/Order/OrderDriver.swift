import Foundation
import Logging

/// Runs an `OrderStateMachine` against a CA: performs each action, feeds the outcome back as an
/// event and saves the state after every step. Runs on the ACME thread; waits between polls sleep
/// only that thread.
final class OrderDriver {
    private let client: ACMEClient
    private let solvers: [String: ChallengeSolver]
    private let keyType: String
    private let logger: Logger
    private let persist: (OrderState) -> Void
    private let install: (_ chainPEM: String, _ keyPEM: String) throws -> Void

    /// A driver using `client`, answering challenges with `solvers` (by type).
    init(
        client: ACMEClient, solvers: [ChallengeSolver], keyType: String, logger: Logger,
        persist: @escaping (OrderState) -> Void, install: @escaping (String, String) throws -> Void
    ) {
        self.client = client
        self.solvers = Dictionary(uniqueKeysWithValues: solvers.map { ($0.type, $0) })
        self.keyType = keyType
        self.logger = logger
        self.persist = persist
        self.install = install
    }

    /// Drives `machine` from `event` until it installs a certificate or schedules a retry.
    /// - Warning: blocks the calling (ACME) thread for the whole order; about 0.2 s against Pebble.
    func run(_ machine: inout OrderStateMachine, from event: OrderEvent) {
        var queue: [(due: Date, action: OrderAction)] = []
        var next: OrderEvent? = event
        while true {
            if let event = next {
                let now = Date()
                let actions = machine.handle(event, now: now)
                self.persist(machine.state)
                queue += actions.map { (now.addingTimeInterval(Self.delay(of: $0)), $0) }
                next = nil
            }
            guard let index = queue.indices.min(by: { queue[$0].due < queue[$1].due }) else { return }
            let (due, action) = queue.remove(at: index)
            let wait = due.timeIntervalSinceNow
            if wait > 0 { usleep(UInt32(min(wait, 3600) * 1_000_000)) }
            if case .retry = action { return }
            do {
                next = try self.perform(action, state: machine.state)
            } catch {
                let transient = (error as? ACMEError)?.isTransient ?? false
                queue.removeAll()
                next = .failed("\(error)", transient: transient)
            }
        }
    }

    /// How long to wait before `action`.
    private static func delay(of action: OrderAction) -> Double {
        switch action {
        case .fetchOrder(_, let after), .fetchAuthorization(_, let after): return after
        default: return 0
        }
    }

    /// Performs one action; returns the event it produced, if any.
    private func perform(_ action: OrderAction, state: OrderState) throws -> OrderEvent? {
        let now = Date()
        switch action {
        case .createOrder(let domains):
            let (url, order) = try self.client.newOrder(domains: domains)
            return .orderCreated(url: url, order: order)
        case .fetchOrder(let url, _):
            let (order, reply) = try self.client.fetch(url, as: ACMEOrder.self, during: "fetching the order")
            return .orderUpdated(order, retryAfter: ACMEClient.retryAfter(reply, now: now))
        case .fetchAuthorization(let url, _):
            let (authorization, reply) = try self.client.fetch(url, as: ACMEAuthorization.self, during: "fetching an authorization")
            return .authorizationUpdated(url: url, authorization, retryAfter: ACMEClient.retryAfter(reply, now: now))
        case .solve(_, let identifier, let challenge):
            try self.solve(identifier: identifier, challenge: challenge)
            return nil
        case .finalize(let url):
            let (csr, keyPEM) = try CSRBuilder.make(domains: state.domains, keyType: self.keyType)
            let (order, reply) = try self.client.finalize(url, csrDER: csr)
            return .finalized(keyPEM: keyPEM, order: order, retryAfter: ACMEClient.retryAfter(reply, now: now))
        case .download(let url):
            return .certificateDownloaded(chainPEM: try self.client.downloadCertificate(url))
        case .install(let chain, let key):
            try self.install(chain, key)
            return nil
        case .cleanUp:
            for solver in self.solvers.values { solver.cleanUp() }
            return nil
        case .retry:
            return nil
        }
    }

    /// Publishes the proof, then tells the CA to validate.
    private func solve(identifier: String, challenge: ACMEChallenge) throws {
        guard let solver = self.solvers[challenge.type], let token = challenge.token else {
            throw ACMEError.local("no solver for \(challenge.type)")
        }
        let keyAuthorization = token + "." + self.client.key.thumbprint
        do {
            try solver.present(identifier: identifier, token: token, keyAuthorization: keyAuthorization)
        } catch {
            throw ACMEError.local("presenting \(challenge.type) for \(identifier): \(error)")
        }
        self.logger.debug("acme challenge presented", metadata: ["identifier": "\(identifier)", "type": "\(challenge.type)"])
        if challenge.status == "pending" { try self.client.triggerChallenge(challenge.url) }
    }
}
