/// The embedded dashboard as the admin API's asset source: `AdminAPI` routes `GET /` and
/// `GET /assets/…` here without a session (the files hold no data) and adds the security headers of
/// every admin response (`Content-Security-Policy: default-src 'self'`, `X-Frame-Options: DENY`,
/// `Referrer-Policy: no-referrer`).
public final class DashboardAssetSource: AdminAssetSource {
    /// The source over `DashboardAsset.all`.
    public init() {}

    /// The file at `path` (query already stripped by the router), or nil for 404.
    public func asset(at path: String) -> AdminAsset? {
        let key = path == "/index.html" ? "/" : path
        guard let asset = DashboardAsset.all[key] else { return nil }
        return AdminAsset(contentType: asset.contentType, body: asset.body)
    }
}
