import Testing

/// Every scenario against Pebble, one at a time: each starts its own Pebble (which generates RSA keys
/// at start), and running them side by side on a loaded machine only makes each one slower.
@Suite(.serialized) enum ACMEIntegration {}
