/** The page a signed-in account sees when it may not do what it asked (403), in the admin's plain frame. */
import { html } from 'hono/html';

export const deniedPage = (
  message: string,
) => html`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>无权访问 - 一网通查内容管理</title><link rel="stylesheet" href="/admin/assets/admin.css"></head>
<body><main id="main"><h1>无权访问</h1><p role="alert">${message}</p><p><a href="/admin">返回工作台</a></p></main></body></html>`;
