export { type AppliveryHandlerOptions, appliveryRoutes, createAppliveryHandler } from './applivery';
