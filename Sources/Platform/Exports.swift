// The layers above Platform (AdminAPI, Worker, the executables) import Platform only: they see the
// models and the stores Platform hands out, and reach no database pool of their own.
@_exported import ControlStore
@_exported import Engagement
@_exported import RegionStore
