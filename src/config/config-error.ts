/** The configuration is missing, unreadable or invalid. Exit code 2. The message names file and key. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(message: string, readonly file: string | null = null, readonly key: string | null = null) {
    super(message);
  }
}
