import Logging
import PortcullisAdmin
import PortcullisConfig
import PortcullisCore

/// The admin API listener (`[admin]`): an evhttp server on the control base carrying `AdminAPI` over
/// the control plane. Started with the other control-plane services once the listeners are bound;
/// `[admin]` changes take effect on restart (like listener changes).
final class AdminService: ControlPlaneService {
    private let settings: AdminSettings
    private let logger: Logger
    private var server: HTTPServer?
    private var api: AdminAPI?
    private var backend: ControlPlaneAdminBackend?
    /// Dashboard files: the embedded dashboard.
    var assets: AdminAssetSource? = DashboardAssetSource()
    /// Metric label of each listener (its address, real port), set before `start`.
    var listenerLabels: [String] = []
    /// The bound port (0 until started).
    private(set) var port = 0

    /// A service for `settings`.
    init(settings: AdminSettings, logger: Logger) {
        self.settings = settings
        self.logger = logger
    }

    /// Reads (or creates) the token, binds, and serves on `plane.base`.
    func start(_ plane: ControlPlane) throws {
        let token = try AdminTokenFile.loadOrCreate(path: self.settings.tokenFile)
        var configuration = AdminAPI.Configuration(token: token)
        configuration.metricsNeedToken = self.settings.metricsToken
        configuration.sessionLifetime = self.settings.sessionLifetime
        let backend = ControlPlaneAdminBackend(plane: plane, listenerLabels: self.listenerLabels)
        let api = AdminAPI(backend: backend, configuration: configuration, assets: self.assets)
        let server = HTTPServer(base: plane.base) { request in api.handle(request) }
        if self.settings.tls { try AdminTLS.enable(on: server, settings: self.settings, plane: plane) }
        do {
            try server.bind(host: self.settings.bind.host, port: self.settings.bind.port)
        } catch {
            throw ServerError("[admin] bind at \(plane.config.sourcePath):\(self.settings.line): \(error)")
        }
        (self.server, self.api, self.backend, self.port) = (server, api, backend, server.port)
        let scheme = self.settings.tls ? "https" : "http"
        let host = self.settings.bind.host.contains(":") ? "[\(self.settings.bind.host)]" : self.settings.bind.host
        self.logger.notice(
            "admin API listening",
            metadata: ["url": "\(scheme)://\(host):\(server.port)/", "token_file": "\(self.settings.tokenFile)"])
    }

    /// Closes the listener and every admin connection (draining has begun).
    func stop() {
        self.server = nil
        self.api = nil
    }
}
