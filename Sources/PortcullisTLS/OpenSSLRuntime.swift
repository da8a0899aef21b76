internal import COpenSSL

/// Process-wide OpenSSL set-up shared by every TLS context.
public enum OpenSSLRuntime {
    /// Initialises libssl and registers Portcullis' ex_data slots. Idempotent and thread-safe; every
    /// context initialiser calls it, so calling it from `main` is optional (but makes start-up errors early).
    public static func initialize() {
        _ = runtimeSetUp
    }
}

/// Runs once (Swift globals are initialised lazily under `swift_once`).
private let runtimeSetUp: Bool = {
    _ = OPENSSL_init_ssl(0, nil)
    _ = ConnectionRecord.exDataIndex
    _ = SiteSelector.exDataIndex
    return true
}()
