import PortcullisCore

/// The current `CertSnapshot`, read by every handshake and replaced by the control plane in one step.
public typealias CertSnapshotHolder = SharedValue<CertSnapshot>

/// Where a handshake reads the certificate snapshot in force. The running proxy publishes one
/// immutable object holding both its routes and its certificates (`RouteTable.certificates`), so a
/// reader sees either the old or the new state, never new certificates with old routes.
public protocol CertSnapshotSource: AnyObject, Sendable {
    /// The snapshot in force now (called once per handshake).
    func currentCertificates() -> CertSnapshot
}

extension SharedValue: CertSnapshotSource where Value == CertSnapshot {
    /// The published snapshot itself.
    public func currentCertificates() -> CertSnapshot { self.current() }
}
