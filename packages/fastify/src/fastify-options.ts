/** What `app.register(plugin, options)` itself reads from a plugin's options, and passes on to the plugin. */
export const REGISTER_OPTIONS: readonly string[] = ["prefix", "logLevel", "logSerializers"];
