// The repository's rules, told that this app's decorators emit metadata: an import used only as a constructor
// or handler parameter's type is then a value Nest injects by, not a type-only import. The repository's file
// patterns are relative to its root, so the examples' own allowance (console output) is repeated here.
import repository from "../../eslint.config.mjs";

export default [
  ...repository,
  {
    files: ["src/**/*.ts"],
    languageOptions: { parserOptions: { emitDecoratorMetadata: true, experimentalDecorators: true } },
  },
  { rules: { "no-console": "off" } },
];
