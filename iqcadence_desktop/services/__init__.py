"""Business logic. Qt-free and typed; takes and returns DTOs."""
