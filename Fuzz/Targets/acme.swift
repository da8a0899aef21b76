// Fuzz target: ACME JSON replies (RFC 8555 §7.1) as the client reads them: the directory, orders,
// authorizations, problem documents, ARI renewalInfo (RFC 9773) and the order state saved on disk. A
// decoded order or authorization is then driven through the order state machine, so hostile field
// values (URLs, statuses, tokens, dates) reach the code that acts on them.
import Foundation
@testable import PortcullisACME

/// 2026-12-01T00:00:00Z.
private let now = Date(timeIntervalSince1970: 1_796_083_200)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzACME(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let body = Array(fuzzBuffer(data, size))
    let reply = HTTPReply(status: 400, headers: [("Retry-After", "120")], body: body)
    _ = ACMEClient.problem(reply).description
    _ = ACMEClient.problem(reply).acmeError
    _ = try? ACMEClient.decode(reply, during: "fuzz") as ACMEDirectory
    _ = try? JSONDecoder().decode(OrderState.self, from: Data(body))
    if let window = RenewalInfo.window(from: body) { _ = window.end.timeIntervalSince(window.start) }
    if let order: ACMEOrder = try? ACMEClient.decode(reply, during: "fuzz") { drive(order) }
    if let authorization: ACMEAuthorization = try? ACMEClient.decode(reply, during: "fuzz") { drive(authorization) }
    return 0
}

/// A new order for two names answered with `order`, then fetched again, then finalized.
private func drive(_ order: ACMEOrder) {
    var machine = machineAwaitingOrder()
    var actions = machine.handle(.orderCreated(url: "https://ca.test/order/1", order: order), now: now)
    actions += machine.handle(.orderUpdated(order, retryAfter: 3), now: now)
    actions += machine.handle(.finalized(keyPEM: "KEY", order: order, retryAfter: nil), now: now)
    checkActions(actions)
}

/// An order in flight whose first authorization is answered with `authorization`.
private func drive(_ authorization: ACMEAuthorization) {
    var machine = machineAwaitingOrder()
    let order = ACMEOrder(
        status: "pending", expires: nil, identifiers: [ACMEIdentifier(dns: "fuzz.test"), ACMEIdentifier(dns: "*.fuzz.test")],
        authorizations: ["https://ca.test/authz/1", "https://ca.test/authz/2"], finalize: "https://ca.test/finalize/1",
        certificate: nil, error: nil)
    var actions = machine.handle(.orderCreated(url: "https://ca.test/order/1", order: order), now: now)
    for url in order.authorizations {
        actions += machine.handle(.authorizationUpdated(url: url, authorization, retryAfter: nil), now: now)
    }
    checkActions(actions)
}

/// A machine that has asked for a new order for `fuzz.test` and `*.fuzz.test`.
private func machineAwaitingOrder() -> OrderStateMachine {
    let state = OrderState(name: "fuzz.test", domains: ["fuzz.test", "*.fuzz.test"], solvers: ["http-01", "dns-01"])
    var machine = OrderStateMachine(state: state, jitter: { 0.5 })
    _ = machine.handle(.begin, now: now)
    return machine
}

/// Delays are finite and non-negative; retries are in the future.
private func checkActions(_ actions: [OrderAction]) {
    for action in actions {
        switch action {
        case .fetchOrder(_, let after), .fetchAuthorization(_, let after):
            fuzzCheck(after.isFinite && after >= 0, "poll delay \(after)")
        case .retry(let at):
            fuzzCheck(at.timeIntervalSince1970.isFinite && at >= now, "retry at \(at)")
        default:
            break
        }
    }
}
