import Dispatch
import Foundation
import Logging
import PortcullisCertificates
import PortcullisConfig
import PortcullisCore

/// Expiry warnings (README, Certificates): every certificate in the store is checked at start and then hourly,
/// on a background queue so serving never waits. Each one inside `[tls] expiry_warning_days` gets, at
/// most once a day, a WARN line, a webhook POST and a command run; failures are retried next check.
final class ExpiryMonitor: @unchecked Sendable {  // `machine` is touched only on `queue`; `timer` only on the control thread
    static let interval: Double = 3600
    private let queue = DispatchQueue(label: "portcullis.expiry")
    private var machine = ExpiryMonitorStateMachine()
    private var timer: PortcullisCore.Timer?
    private let logger: Logger
    private let events: ControlEventLog

    /// A monitor logging to `logger` and recording each warning in `events`.
    init(logger: Logger, events: ControlEventLog) {
        var logger = logger
        logger[metadataKey: "module"] = "certificates"
        self.logger = logger
        self.events = events
    }

    /// Checks now and then every `interval` seconds; `config` is read at each tick.
    func start(control: EventBase, config: @escaping () -> ProxyConfig) {
        self.check(config())
        self.timer = PortcullisCore.Timer(base: control, interval: Self.interval, repeats: true) { [unowned self] in
            self.check(config())
        }
    }

    /// Hands one check to the background queue: every certificate, or only `only` (after a store change).
    func check(_ config: ProxyConfig, only: Set<String>? = nil) {
        self.queue.async { self.run(config, only: only) }
    }

    /// Reads the store, asks the state machine, and performs its actions (blocking here is fine).
    private func run(_ config: ProxyConfig, only: Set<String>?) {
        let store = CertificateStore(layout: StoreLayout(stateDir: config.server.stateDir))
        let facts = ExpiryNotifier.facts(store: store, config: config, only: only)
        let actions = self.machine.check(
            facts, webhook: config.tls.expiryWebhook != nil, command: config.tls.expiryCommand != nil, now: Date(),
            complete: only == nil)
        for action in actions {
            let fact = action.fact
            var success = true
            switch action.channel {
            case .log:
                self.events.record(
                    .expiryWarning, name: fact.name,
                    message: fact.status == "expired" ? "expired" : "expires in \(fact.daysLeft) days",
                    now: Date().timeIntervalSince1970)
                self.logger.warning(
                    "certificate \(fact.status == "expired" ? "expired" : "expires soon")",
                    metadata: [
                        "certificate": "\(fact.name)", "domains": "\(fact.domains.joined(separator: ","))",
                        "days_left": "\(fact.daysLeft)",
                    ])
            case .webhook:
                success = self.attempt("expiry webhook failed") {
                    try ExpiryNotifier.postWebhook(fact, url: config.tls.expiryWebhook!)
                }
            case .command:
                success = self.attempt("expiry command failed") {
                    try ExpiryNotifier.runCommand(fact, command: config.tls.expiryCommand!)
                }
            }
            self.machine.completed(action, success: success, now: Date())
        }
    }

    /// Runs `body`; logs `message` with the reason on failure (retried at the next check).
    private func attempt(_ message: Logger.Message, _ body: () throws -> Void) -> Bool {
        do {
            try body()
            return true
        } catch {
            self.logger.error(message, metadata: ["reason": "\(error)", "retry": "next check"])
            return false
        }
    }
}
