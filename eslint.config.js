import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.data/**", "**/drizzle/meta/**", "**/test-results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      // Type-aware rules: each file is checked with the tsconfig of its workspace.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      // Promises: a deliberate fire-and-forget says so with `void`.
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      // Async functions without await are deliberate here (interfaces that return promises, test doubles).
      "@typescript-eslint/require-await": "off",
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration in apps/server/src/env.ts only." },
      ],
    },
  },
  {
    // Outside every workspace's tsconfig: no type information, so no type-aware rules.
    files: ["**/*.js", "*.ts", "**/vitest.config.ts"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
  {
    // Out of the first load: toasts through lib/toast.tsx (loads sonner at the first toast), the auth
    // client only in the pages that sign in (the session comes from lib/session.ts).
    files: ["apps/web/src/**"],
    ignores: ["apps/web/src/lib/toast.tsx", "apps/web/src/lib/auth.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "sonner", message: "Use toast from lib/toast.tsx: it loads sonner at the first toast." }],
          patterns: [{ group: ["better-auth", "better-auth/*"], message: "Use lib/auth.ts (lazy pages only) or lib/session.ts." }],
        },
      ],
    },
  },
  {
    // Test infrastructure and tool configs choose their database and ports from the environment.
    files: ["**/*.test.ts", "**/testing.ts", "**/test/**", "e2e/**", "*.config.ts", "**/vite.config.ts", "apps/server/src/env.ts"],
    rules: { "no-restricted-properties": "off" },
  },
);
