/// One static file of the dashboard.
public struct AdminAsset: Sendable {
    /// `text/html; charset=utf-8`, `text/css`, …
    public var contentType: String
    public var body: [UInt8]

    /// An asset from its content type and bytes.
    public init(contentType: String, body: [UInt8]) {
        self.contentType = contentType
        self.body = body
    }
}

/// Where the dashboard's files come from. `GET /` asks for path `/`; `GET /assets/app.js` asks for
/// `/assets/app.js`. Served without authentication (they hold no secrets; every API call they make
/// needs a session), with the security headers of every admin response.
public protocol AdminAssetSource: AnyObject {
    /// The file at `path`, or nil for 404.
    func asset(at path: String) -> AdminAsset?
}
