package usersdk

// Version is this module's version. Every client sends it in its User-Agent,
// "usersdk-go/<Version> (<package>)", unless WithUserAgent replaces it.
const Version = "0.2.0"
