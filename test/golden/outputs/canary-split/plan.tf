# serverless-lb: Terraform configuration for load balancer "canary-lb" in project "demo-project".
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

# external IP address of the load balancer
resource "google_compute_global_address" "canary_lb_ip" {
  name         = "canary-lb-ip"
  description  = "[serverless-lb:canary-lb] external IP address of the load balancer"
  address_type = "EXTERNAL"
  ip_version   = "IPV4"
  labels       = {
    "serverless-lb" = "canary-lb"
  }
}

# Google-managed certificate for the HTTPS proxy
resource "google_compute_managed_ssl_certificate" "canary_lb_cert" {
  name        = "canary-lb-cert"
  description = "[serverless-lb:canary-lb] Google-managed certificate for the HTTPS proxy"

  managed {
    domains = ["shop.example.com"]
  }
}

# serverless NEG in europe-west1 for backend web: Cloud Run service web
resource "google_compute_region_network_endpoint_group" "canary_lb_web_neg_europe_west1" {
  name                  = "canary-lb-web-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:canary-lb] serverless NEG in europe-west1 for backend web: Cloud Run service web"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web"
  }
}

# serverless NEG in europe-west1 for backend canary: Cloud Run service web-canary
resource "google_compute_region_network_endpoint_group" "canary_lb_canary_neg_europe_west1" {
  name                  = "canary-lb-canary-neg-europe-west1"
  region                = "europe-west1"
  description           = "[serverless-lb:canary-lb] serverless NEG in europe-west1 for backend canary: Cloud Run service web-canary"
  network_endpoint_type = "SERVERLESS"

  cloud_run {
    service = "web-canary"
  }
}

# backend service for backend web
resource "google_compute_backend_service" "canary_lb_web_bs" {
  name                  = "canary-lb-web-bs"
  description           = "[serverless-lb:canary-lb] backend service for backend web"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.canary_lb_web_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# backend service for backend canary
resource "google_compute_backend_service" "canary_lb_canary_bs" {
  name                  = "canary-lb-canary-bs"
  description           = "[serverless-lb:canary-lb] backend service for backend canary"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  protocol              = "HTTP"
  enable_cdn            = false

  backend {
    group = google_compute_region_network_endpoint_group.canary_lb_canary_neg_europe_west1.id
  }

  log_config {
    enable      = true
    sample_rate = 1
  }
}

# URL map: routes hosts and paths to the backend services
resource "google_compute_url_map" "canary_lb_urlmap" {
  name            = "canary-lb-urlmap"
  description     = "[serverless-lb:canary-lb] URL map: routes hosts and paths to the backend services"
  default_service = google_compute_backend_service.canary_lb_web_bs.id

  host_rule {
    hosts        = ["*"]
    path_matcher = "hosts-1"
  }

  path_matcher {
    name            = "hosts-1"
    default_service = google_compute_backend_service.canary_lb_web_bs.id

    route_rules {
      priority = 10

      match_rules {
        prefix_match = "/"

        header_matches {
          header_name = "x-canary"
          exact_match = "always"
        }
      }

      service = google_compute_backend_service.canary_lb_canary_bs.id

      header_action {
        response_headers_to_add {
          header_name  = "X-Served-By"
          header_value = "canary"
          replace      = true
        }
      }
    }

    route_rules {
      priority = 20

      match_rules {
        prefix_match = "/"
      }

      route_action {
        weighted_backend_services {
          backend_service = google_compute_backend_service.canary_lb_web_bs.id
          weight          = 90
        }

        weighted_backend_services {
          backend_service = google_compute_backend_service.canary_lb_canary_bs.id
          weight          = 10
        }
      }
    }
  }
}

# HTTPS proxy: terminates TLS
resource "google_compute_target_https_proxy" "canary_lb_https_proxy" {
  name             = "canary-lb-https-proxy"
  description      = "[serverless-lb:canary-lb] HTTPS proxy: terminates TLS"
  url_map          = google_compute_url_map.canary_lb_urlmap.id
  ssl_certificates = [google_compute_managed_ssl_certificate.canary_lb_cert.id]
}

# HTTPS forwarding rule on port 443
resource "google_compute_global_forwarding_rule" "canary_lb_https_fr" {
  name                  = "canary-lb-https-fr"
  description           = "[serverless-lb:canary-lb] HTTPS forwarding rule on port 443"
  load_balancing_scheme = "EXTERNAL_MANAGED"
  ip_protocol           = "TCP"
  port_range            = "443"
  ip_address            = google_compute_global_address.canary_lb_ip.id
  target                = google_compute_target_https_proxy.canary_lb_https_proxy.id
  network_tier          = "PREMIUM"
  labels                = {
    "serverless-lb" = "canary-lb"
  }
}

# A record for shop.example.com in zone example-com
resource "google_dns_record_set" "shop_example_com_" {
  name         = "shop.example.com."
  managed_zone = "example-com"
  type         = "A"
  ttl          = 300
  rrdatas      = [google_compute_global_address.canary_lb_ip.address]
  depends_on   = [google_compute_global_forwarding_rule.canary_lb_https_fr]
}

# let allUsers invoke Cloud Run service web in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "web" {
  project    = var.project
  location   = "europe-west1"
  name       = "web"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [google_compute_global_forwarding_rule.canary_lb_https_fr]
}

# let allUsers invoke Cloud Run service web-canary in europe-west1 (the load balancer's requests)
resource "google_cloud_run_v2_service_iam_member" "web_canary" {
  project    = var.project
  location   = "europe-west1"
  name       = "web-canary"
  role       = "roles/run.invoker"
  member     = "allUsers"
  depends_on = [google_compute_global_forwarding_rule.canary_lb_https_fr]
}

# Cloud Run service web (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service web in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update web --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project

# Cloud Run service web-canary (europe-west1): not managed by this configuration.
# restrict ingress of Cloud Run service web-canary in europe-west1 to internal traffic and Cloud Load Balancing. Restrict its ingress so the run.app URL cannot bypass the load balancer:
#   gcloud run services update web-canary --region=europe-west1 --ingress=internal-and-cloud-load-balancing --project=demo-project
