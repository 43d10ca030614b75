//! The bar as a pure state machine.
