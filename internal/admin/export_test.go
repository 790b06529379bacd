package admin

// PasswordChecks returns how many argon2 password checks have run in this process.
func PasswordChecks() int64 { return passwordChecks.Load() }
