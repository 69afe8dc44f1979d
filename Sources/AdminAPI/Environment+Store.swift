import Platform

/// A tenant's environment; the name shadows Hummingbird's process `Environment` in this module.
typealias Environment = ControlStore.Environment
