#!/usr/bin/env node
// Entry point for the `frontdesk` command: loads the TypeScript CLI through tsx.
import { register } from 'tsx/esm/api';

register();
await import('../adapters/cli.ts');
