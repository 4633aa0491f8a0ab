# serverless-lb: Terraform configuration for load balancer "routing-lb" in project "demo-project".
# Secrets are not in this file: set the sensitive variables below from their files or environment.

terraform {
  required_providers {
    google = {
      source = "hashicorp/google"
    }
  }
}

variable "project" {
  description = "Google Cloud project that holds the load balancer"
  type        = string
  default     = "demo-project"
}

provider "google" {
  project = var.project
}

# Existing VPC network default: read, never changed. (existing VPC network of the load balancer)
data "google_compute_network" "default" {
  name = "default"
}

# Existing subnetwork proxy-only-europe-west1: read, never changed. (existing proxy-only subnet (REGIONAL_MANAGED_PROXY) in europe-west1)
data "google_compute_subnetwork" "proxy_only_europe_west1" {
  name   = "proxy-only-europe-west1"
  region = "europe-west1"
}

# Existing subnetwork default: read, never changed. (existing subnet the internal address in europe-west1 comes from)
data "google_compute_subnetwork" "default" {
  name   = "default"
  region = "europe-west1"
}

# internal IP address of the load balancer in europe-west1
resource "google_compute_address" "routing_lb_ip" {
  name         = "routing-lb-ip"
  region       = "europe-west1"
  description  = "[serverless-lb:routing-lb] internal IP address of the load balancer in europe-west1"
  address_type = "INTERNAL"
  subnetwork   = data.google_compute_subnetwork.default.id
  labels       = {
    "serverless-lb" = "routing-lb"
  }
}

# serverless NEG in europe-west1 for backend v1: Cloud Run service internal-api
resource "google_compute_region_network_endpoint_group" "routing_lb_v1_neg_europe_west1" {
  name                  = "routing-lb-v1-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:routing-lb] serverless NEG in europe-west1 for backend v1: Cloud Run service internal-api"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "internal-api"
  }
}

# serverless NEG in europe-west1 for backend v2: Cloud Run service internal-api-v2
resource "google_compute_region_network_endpoint_group" "routing_lb_v2_neg_europe_west1" {
  name                  = "routing-lb-v2-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:routing-lb] serverless NEG in europe-west1 for backend v2: Cloud Run service internal-api-v2"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "internal-api-v2"
  }
}

# backend service for backend v1
resource "google_compute_region_backend_service" "routing_lb_v1_bs" {
  name                  = "routing-lb-v1-bs"
  region                = "europe-west1"
  description           = "[serverless-lb:routing-lb] backend service for backend v1"
  load_balancing_scheme = "INTERNAL_MANAGED"
  protocol              = "HTTP"

  backend {
    group = google_compute_region_network_endpoint_group.routing_lb_v1_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# backend service for backend v2
resource "google_compute_region_backend_service" "routing_lb_v2_bs" {
  name                  = "routing-lb-v2-bs"
  region                = "europe-west1"
  description           = "[serverless-lb:routing-lb] backend service for backend v2"
  load_balancing_scheme = "INTERNAL_MANAGED"
  protocol              = "HTTP"

  backend {
    group = google_compute_region_network_endpoint_group.routing_lb_v2_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_region_url_map" "routing_lb_urlmap" {
  name            = "routing-lb-urlmap"
  region          = "europe-west1"
  description     = "[serverless-lb:routing-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_region_backend_service.routing_lb_v1_bs.id

  host_rule {
    hosts        = ["*"]
    path_matcher = "hosts-1"
  }

  path_matcher {
    name            = "hosts-1"
    default_service = google_compute_region_backend_service.routing_lb_v1_bs.id

    route_rules {
      priority = 10

      match_rules {
        prefix_match = "/v2/"

        header_matches {
          header_name = "x-api-version"
          exact_match = "2"
        }
      }

      service = google_compute_region_backend_service.routing_lb_v2_bs.id

      route_action {
        url_rewrite {
          path_prefix_rewrite = "/"
        }

        timeout {
          seconds = "10"
        }

        cors_policy {
          allow_origins = ["https://portal.example.com"]
          allow_methods = ["GET", "POST"]
          max_age       = 600
        }
      }

      header_action {
        request_headers_to_add {
          header_name  = "X-Routed-By"
          header_value = "routing-lb"
          replace      = true
        }
      }
    }

    route_rules {
      priority = 20

      match_rules {
        prefix_match = "/"
      }

      service = google_compute_region_backend_service.routing_lb_v1_bs.id
    }
  }
}

# HTTP proxy
resource "google_compute_region_target_http_proxy" "routing_lb_http_proxy" {
  name        = "routing-lb-http-proxy"
  region      = "europe-west1"
  description = "[serverless-lb:routing-lb] HTTP proxy"
  url_map     = google_compute_region_url_map.routing_lb_urlmap.id
}

# HTTP forwarding rule on port 80 in europe-west1
resource "google_compute_forwarding_rule" "routing_lb_http_fr" {
  name                  = "routing-lb-http-fr"
  region                = "europe-west1"
  description           = "[serverless-lb:routing-lb] HTTP forwarding rule on port 80 in europe-west1"
  load_balancing_scheme = "INTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "80"
  ip_address            = google_compute_address.routing_lb_ip.id
  target                = google_compute_region_target_http_proxy.routing_lb_http_proxy.id
  network               = data.google_compute_network.default.id
  subnetwork            = data.google_compute_subnetwork.default.id
  labels                = {
    "serverless-lb" = "routing-lb"
  }
}

# let allUsers invoke Cloud Run service internal-api in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "internal_api" {
  project    = var.project
  location   = "europe-west1"
  name       = "internal-api"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [google_compute_forwarding_rule.routing_lb_http_fr]
}

# let allUsers invoke Cloud Run service internal-api-v2 in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "internal_api_v2" {
  project    = var.project
  location   = "europe-west1"
  name       = "internal-api-v2"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [google_compute_forwarding_rule.routing_lb_http_fr]
}

# Cloud Run service internal-api (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service internal-api in europe-west1 to internal traffic. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update internal-api --region=europe-west1 --ingress=internal --project=demo-project

# Cloud Run service internal-api-v2 (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service internal-api-v2 in europe-west1 to internal traffic. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update internal-api-v2 --region=europe-west1 --ingress=internal --project=demo-project
