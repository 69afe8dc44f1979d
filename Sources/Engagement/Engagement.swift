// The pure engagement domain.
