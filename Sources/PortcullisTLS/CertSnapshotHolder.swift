import PortcullisCore

/// The current `CertSnapshot`, read by every handshake and replaced by the control plane in one step.
public typealias CertSnapshotHolder = SharedValue<CertSnapshot>
