/// <reference types="astro/client" />
declare namespace App {
  interface Locals {
    page?: import('./model').PageModel;
    feed?: import('./model').FeedModel;
  }
}
